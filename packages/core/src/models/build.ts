// Builds a registered network with its family's builder (this module loads TensorFlow.js; the
// registry and the per-network files do not).
import type * as tfl from '@tensorflow/tfjs-layers';
import type { ModelSpec } from './types.js';
import { buildMobileNetV2 } from './families/mobilenet_v2.js';
import { buildResNet } from './families/resnet.js';
import { buildVgg } from './families/vgg.js';
import { buildXception } from './families/xception.js';

/** The uninitialised-weights tfjs-layers model of `spec`, with the same layer names as Keras. */
export function buildModel(spec: ModelSpec): tfl.LayersModel {
  const family = spec.family;
  switch (family.name) {
    case 'vgg':
      return buildVgg(spec, family);
    case 'resnet':
      return buildResNet(spec, family);
    case 'mobilenet_v2':
      return buildMobileNetV2(spec);
    case 'xception':
      return buildXception(spec);
    default: {
      const unknown: never = family;
      throw new Error(`${spec.id}: unknown model family ${JSON.stringify(unknown)}`);
    }
  }
}
