// What a user model's file says, and does not say, about how to use it: the meaning of its output,
// the default Grad-CAM layer, and the preprocessing (rarely recorded: guessed from known layer
// names, else 0..1 with a note that it matters).
import type * as tfl from '@tensorflow/tfjs-layers';
import type { LayerGraph } from '../graph/layer-graph.js';
import type { OutputKind, PreprocessMode } from '../network.js';
import { UserModelError } from './errors.js';
import type { FlatModel } from './flatten.js';
import { NEEDS_IMAGE_MODEL } from './build.js';
import { activationOf, CONV_CLASSES } from './layers.js';

export interface OutputInfo {
  kind: OutputKind;
  /** Units of the output layer (1 for a single sigmoid). */
  units: number;
  /** One unit read as two classes: class 1 with p, class 0 (its opposite) with 1 - p. */
  binary: boolean;
  /** The output's final activation, e.g. "softmax". */
  activation: string;
  /** One sentence for people. */
  description: string;
}

export interface UserModelWarning {
  code: 'tiny-map' | 'output' | 'labels' | 'preprocessing' | 'ignored-file';
  message: string;
  /** A layer to choose instead (tiny-map). */
  suggestion?: string;
}

/** The meaning of the model's output layer. */
export function describeOutput(flat: FlatModel, model: tfl.LayersModel): OutputInfo {
  const shape = model.outputs[0]!.shape;
  if (shape.length !== 2 || !shape[1]) {
    throw new UserModelError(
      `This model's output has shape [${shape.map((d) => d ?? 'None').join(', ')}]; a classifier ` +
        'with one score per class, (batch, classes), is needed',
    );
  }
  const units = shape[1];
  const last = flat.layers.find((l) => l.name === flat.output);
  let activation = 'linear';
  if (last?.className === 'Softmax') activation = 'softmax';
  else if (last && 'activation' in last.config) activation = activationOf(last);
  let kind: OutputKind;
  let description: string;
  if (activation === 'softmax' && units > 1) {
    kind = 'softmax';
    description = `softmax over ${units} classes`;
  } else if (activation === 'sigmoid') {
    kind = units === 1 ? 'sigmoid' : 'multilabel';
    description =
      units === 1
        ? 'one sigmoid unit p: class 1 has probability p, class 0 (its opposite) 1 - p'
        : `${units} independent sigmoid units (multi-label)`;
  } else {
    kind = 'logits';
    description =
      units === 1
        ? `one raw score z (activation ${activation}): class 1 is z, class 0 its opposite -z; probabilities sigmoid(z) and 1 - sigmoid(z)`
        : `${units} raw scores (activation ${activation}), explained as they are; probabilities shown as their softmax`;
  }
  return { kind, units, binary: units === 1, activation, description };
}

/** Map side below which a map says little: 1x1 is one colour, 2x2 four cells. */
const USABLE = 3;

/**
 * The default target layer: the last convolution whose output the model depends on (Grad-CAM's
 * "last convolutional layer", Selvaraju et al. 2017, section 3). A tiny map gets a warning that
 * names the deepest layer with a usable one.
 */
export function chooseDefaultLayer(graph: LayerGraph): {
  layer: string;
  warnings: UserModelWarning[];
} {
  const cams = graph.camLayers();
  const convs = cams.filter((l) => CONV_CLASSES.has(l.className));
  const chosen = convs.at(-1);
  if (!chosen) {
    throw new UserModelError(
      `${NEEDS_IMAGE_MODEL} that the prediction depends on; this model has none.`,
    );
  }
  const warnings: UserModelWarning[] = [];
  if (Math.min(chosen.height, chosen.width) < USABLE) {
    const usable = cams.filter((l) => Math.min(l.height, l.width) >= USABLE).at(-1);
    warnings.push({
      code: 'tiny-map',
      message:
        `The last convolution, "${chosen.name}", has a ${chosen.height}x${chosen.width} map: ` +
        (chosen.height * chosen.width === 1
          ? 'a map there is one colour. '
          : 'a map there says little. ') +
        (usable
          ? `"${usable.name}" (${usable.height}x${usable.width}) is the deepest layer with a usable map: choose it as the target layer.`
          : 'No layer has a larger map.'),
      ...(usable && { suggestion: usable.name }),
    });
  }
  return { layer: chosen.name, warnings };
}

export interface PreprocessingInfo {
  mode: PreprocessMode;
  /** Layers that scale the input inside the model (then `mode` is `raw`). */
  inModel: string[];
  /** True when the file or the architecture tells; false for the 0..1 assumption. */
  known: boolean;
  reason: string;
}

/** Known Keras applications by their layer names, with the preprocessing they were trained with. */
const ARCHITECTURES: readonly { name: string; names: readonly string[]; mode: PreprocessMode }[] = [
  { name: 'MobileNetV2', names: ['Conv1', 'bn_Conv1', 'expanded_conv_depthwise'], mode: 'tf' },
  { name: 'MobileNet', names: ['conv1', 'conv_dw_1', 'conv_pw_1'], mode: 'tf' },
  { name: 'ResNetV2', names: ['conv1_conv', 'post_bn'], mode: 'tf' },
  { name: 'ResNet', names: ['conv1_conv', 'conv2_block1_1_conv'], mode: 'caffe' },
  { name: 'Xception', names: ['block1_conv1', 'block14_sepconv2'], mode: 'tf' },
  { name: 'VGG', names: ['block1_conv1', 'block5_conv3'], mode: 'caffe' },
  { name: 'InceptionV3', names: ['mixed0', 'mixed10'], mode: 'tf' },
  { name: 'InceptionResNetV2', names: ['conv_7b', 'block35_1'], mode: 'tf' },
];

const SCALING = new Set(['Rescaling', 'Normalization']);

export function detectPreprocessing(flat: FlatModel, channels: 1 | 3): PreprocessingInfo {
  const firstConv = flat.layers.findIndex((l) => CONV_CLASSES.has(l.className));
  const inModel = flat.layers
    .slice(0, firstConv < 0 ? undefined : firstConv)
    .filter((l) => SCALING.has(l.className))
    .map((l) => l.name);
  if (inModel.length > 0) {
    return {
      mode: 'raw',
      inModel,
      known: true,
      reason: `the model scales its input itself (${inModel.join(', ')}): pixels go in as 0..255`,
    };
  }
  const names = new Set(flat.layers.map((l) => l.kerasName));
  const arch = ARCHITECTURES.find((a) => a.names.every((n) => names.has(n)));
  if (arch && (channels === 3 || arch.mode !== 'caffe')) {
    const range =
      arch.mode === 'tf' ? '-1..1 (x / 127.5 - 1)' : 'caffe (BGR minus the ImageNet means)';
    return {
      mode: arch.mode,
      inModel: [],
      known: true,
      reason:
        `the layers are Keras' ${arch.name} (${arch.names.join(', ')}), trained on ${range}` +
        (arch.name === 'MobileNetV2' ? ', as Teachable Machine does' : ''),
    };
  }
  return {
    mode: 'unit',
    inModel: [],
    known: false,
    reason:
      'the file does not record how images were scaled in training; 0..1 (x / 255) is assumed, ' +
      'the most common choice. It matters: if the predictions look wrong, try -1..1, caffe or ' +
      '0..255 (raw).',
  };
}
