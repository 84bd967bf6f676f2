// The MobileNetV2 family (alpha 1.0) as in keras-team/keras `keras/src/applications/mobilenet_v2.py`
// (include_top=True, 1000 classes). Sandler et al., "MobileNetV2: Inverted Residuals and Linear
// Bottlenecks", CVPR 2018.
import * as tfl from '@tensorflow/tfjs-layers';
import type { ModelSpec } from '../types.js';
import { apply, predictions, type Sym } from './keras-layers.js';

const bn = (x: Sym, name: string) =>
  apply(tfl.layers.batchNormalization({ axis: -1, epsilon: 1e-3, momentum: 0.999, name }), x);
const relu6 = (x: Sym, name: string) => apply(tfl.layers.reLU({ maxValue: 6, name }), x);
const pointwise = (x: Sym, filters: number, name: string) =>
  apply(
    tfl.layers.conv2d({
      filters,
      kernelSize: 1,
      padding: 'same',
      useBias: false,
      kernelInitializer: 'glorotUniform',
      name,
    }),
    x,
  );

/** `imagenet_utils.correct_pad`: ((k//2 - adjust, k//2), ...) with adjust = 1 for even sizes. */
function correctPad(x: Sym, kernel: number): [[number, number], [number, number]] {
  const [, h, w] = x.shape;
  const c = Math.floor(kernel / 2);
  const adjust = (n: number | null) => (n == null ? 1 : 1 - (n % 2));
  return [
    [c - adjust(h), c],
    [c - adjust(w), c],
  ];
}

/** `_inverted_res_block` with alpha 1 (all filter counts are already multiples of 8). */
function invertedResBlock(
  inputs: Sym,
  expansion: number,
  stride: number,
  filters: number,
  blockId: number,
): Sym {
  const inChannels = inputs.shape[3] as number;
  let prefix = `block_${blockId}_`;
  let x = inputs;
  if (blockId) {
    x = pointwise(x, expansion * inChannels, `${prefix}expand`);
    x = relu6(bn(x, `${prefix}expand_BN`), `${prefix}expand_relu`);
  } else {
    prefix = 'expanded_conv_';
  }
  if (stride === 2) {
    x = apply(tfl.layers.zeroPadding2d({ padding: correctPad(x, 3), name: `${prefix}pad` }), x);
  }
  x = apply(
    tfl.layers.depthwiseConv2d({
      kernelSize: 3,
      strides: stride,
      padding: stride === 1 ? 'same' : 'valid',
      useBias: false,
      depthwiseInitializer: 'glorotUniform',
      name: `${prefix}depthwise`,
    }),
    x,
  );
  x = relu6(bn(x, `${prefix}depthwise_BN`), `${prefix}depthwise_relu`);
  x = pointwise(x, filters, `${prefix}project`);
  x = bn(x, `${prefix}project_BN`);
  if (inChannels === filters && stride === 1) {
    return apply(tfl.layers.add({ name: `${prefix}add` }), [inputs, x]);
  }
  return x;
}

/** [filters, stride, expansion] for block_id 0..16, as listed in mobilenet_v2.py. */
const BLOCKS: ReadonlyArray<readonly [number, number, number]> = [
  [16, 1, 1],
  [24, 2, 6],
  [24, 1, 6],
  [32, 2, 6],
  [32, 1, 6],
  [32, 1, 6],
  [64, 2, 6],
  [64, 1, 6],
  [64, 1, 6],
  [64, 1, 6],
  [96, 1, 6],
  [96, 1, 6],
  [96, 1, 6],
  [160, 2, 6],
  [160, 1, 6],
  [160, 1, 6],
  [320, 1, 6],
];

/** `MobileNetV2(alpha=1.0)` at the spec's input size (224 for the official weights). */
export function buildMobileNetV2(spec: ModelSpec): tfl.LayersModel {
  const input = tfl.input({ shape: [spec.inputSize, spec.inputSize, 3], name: 'input_layer' });
  let x = apply(
    tfl.layers.conv2d({
      filters: 32,
      kernelSize: 3,
      strides: 2,
      padding: 'same',
      useBias: false,
      kernelInitializer: 'glorotUniform',
      name: 'Conv1',
    }),
    input,
  );
  x = relu6(bn(x, 'bn_Conv1'), 'Conv1_relu');
  BLOCKS.forEach(([filters, stride, expansion], id) => {
    x = invertedResBlock(x, expansion, stride, filters, id);
  });
  x = pointwise(x, 1280, 'Conv_1');
  x = relu6(bn(x, 'Conv_1_bn'), 'out_relu');
  // Unnamed in Keras: a fresh Keras session calls it `global_average_pooling2d`.
  x = apply(tfl.layers.globalAveragePooling2d({ name: 'global_average_pooling2d' }), x);
  x = predictions(x);
  return tfl.model({ inputs: input, outputs: x, name: `mobilenetv2_1.00_${spec.inputSize}` });
}
