// MobileNetV2 (alpha 1.0, 224) as in keras-team/keras `keras/src/applications/mobilenet_v2.py`
// (include_top=True, 1000 classes). Sandler et al., "MobileNetV2: Inverted Residuals and Linear
// Bottlenecks", CVPR 2018.
import * as tfl from '@tensorflow/tfjs-layers';
import type { ModelSpec } from './types.js';
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

function build(): tfl.LayersModel {
  const input = tfl.input({ shape: [224, 224, 3], name: 'input_layer' });
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
  return tfl.model({ inputs: input, outputs: x, name: 'mobilenetv2_1.00_224' });
}

export const mobilenetV2: ModelSpec = {
  id: 'mobilenet_v2',
  name: 'MobileNetV2',
  inputSize: 224,
  preprocessing: 'tf',
  defaultLayer: 'out_relu',
  parameters: 3_538_984,
  summary: 'Small, fast network for phones (2018): 14 MB of weights, 7x7 Grad-CAM maps.',
  description:
    'MobileNetV2 (Sandler, Howard, Zhu, Zhmoginov and Chen, Google, 2018; CVPR 2018) is built from 17 ' +
    'inverted residual blocks: a 1x1 convolution expands the channels six-fold, a cheap 3x3 depthwise ' +
    'convolution filters each channel on its own, and a linear 1x1 convolution projects back to a narrow ' +
    'bottleneck, with skip connections between bottlenecks and ReLU6 activations. It has 53 weight layers ' +
    '(counting depthwise and pointwise convolutions separately) and only 3,538,984 parameters, about 300 ' +
    'million multiply-adds per 224x224 image. Keras reports 71.3% top-1 and 90.1% top-5 ImageNet accuracy. ' +
    'Its last activation, out_relu, gives 7x7 Grad-CAM maps.',
  facts: {
    year: 2018,
    depth: 53,
    top1: 0.713,
    top5: 0.901,
    paper: {
      title: 'MobileNetV2: Inverted Residuals and Linear Bottlenecks',
      authors: 'Mark Sandler, Andrew Howard, Menglong Zhu, Andrey Zhmoginov, Liang-Chieh Chen',
      venue: 'CVPR 2018',
      year: 2018,
      url: 'https://arxiv.org/abs/1801.04381',
    },
  },
  weights: {
    // keras/src/applications/mobilenet_v2.py: BASE_WEIGHT_PATH + model_name; get_file without file_hash.
    fileName: 'mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224.h5',
    url: 'https://storage.googleapis.com/tensorflow/keras-applications/mobilenet_v2/mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224.h5',
    hash: null,
    // Total size printed by Keras' get_file progress bar for this URL.
    bytes: 14_536_120,
  },
  build,
};
