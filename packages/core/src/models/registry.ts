// The architectures the app offers. Adding one: a new file exporting a ModelSpec, plus one line here.
import { mobilenetV2 } from './mobilenet_v2.js';
import { resnet50 } from './resnet50.js';
import type { ModelId, ModelSpec } from './types.js';
import { vgg16 } from './vgg16.js';
import { xception } from './xception.js';

export const MODELS: readonly ModelSpec[] = Object.freeze([vgg16, resnet50, mobilenetV2, xception]);

export const MODEL_IDS: readonly ModelId[] = Object.freeze(MODELS.map((m) => m.id));

/** The spec for `id`; throws an Error listing the valid ids otherwise. */
export function getModelSpec(id: string): ModelSpec {
  const spec = MODELS.find((m) => m.id === id);
  if (!spec) {
    throw new Error(`Unknown model "${id}". Valid models: ${MODEL_IDS.join(', ')}`);
  }
  return spec;
}
