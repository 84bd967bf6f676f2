// Xception as in keras-team/keras `keras/src/applications/xception.py` (include_top=True, 1000 classes).
// Chollet, "Xception: Deep Learning with Depthwise Separable Convolutions", CVPR 2017.
import * as tfl from '@tensorflow/tfjs-layers';
import type { ModelSpec } from './types.js';
import { apply, predictions, type Sym } from './keras-layers.js';

// Keras' BatchNormalization default epsilon (1e-3); xception.py passes only the axis.
const bn = (x: Sym, name: string) =>
  apply(tfl.layers.batchNormalization({ axis: -1, epsilon: 1e-3, name }), x);
const relu = (x: Sym, name: string) =>
  apply(tfl.layers.activation({ activation: 'relu', name }), x);
const sepconv = (x: Sym, filters: number, name: string) =>
  apply(
    tfl.layers.separableConv2d({
      filters,
      kernelSize: 3,
      padding: 'same',
      useBias: false,
      depthwiseInitializer: 'glorotUniform',
      pointwiseInitializer: 'glorotUniform',
      name,
    }),
    x,
  );
const pool = (x: Sym, name: string) =>
  apply(tfl.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same', name }), x);

/**
 * Names Keras auto-assigns in a fresh session to xception.py's unnamed residual-branch layers:
 * `conv2d`, `conv2d_1`, ...; `batch_normalization`, ...; `add`, `add_1`, ...
 */
function autoNamer() {
  const counts = new Map<string, number>();
  return (base: string) => {
    const n = counts.get(base) ?? 0;
    counts.set(base, n + 1);
    return n === 0 ? base : `${base}_${n}`;
  };
}

function build(): tfl.LayersModel {
  const auto = autoNamer();
  // 1x1 stride-2 convolution + BN on the residual branch of blocks 2, 3, 4 and 13.
  const residualBranch = (x: Sym, filters: number) => {
    const r = apply(
      tfl.layers.conv2d({
        filters,
        kernelSize: 1,
        strides: 2,
        padding: 'same',
        useBias: false,
        kernelInitializer: 'glorotUniform',
        name: auto('conv2d'),
      }),
      x,
    );
    return bn(r, auto('batch_normalization'));
  };
  // `layers.add([x, residual])`: input order as in Keras.
  const add = (x: Sym, residual: Sym) =>
    apply(tfl.layers.add({ name: auto('add') }), [x, residual]);

  const input = tfl.input({ shape: [299, 299, 3], name: 'input_layer' });
  const conv = (x: Sym, filters: number, strides: number, name: string) =>
    apply(
      tfl.layers.conv2d({
        filters,
        kernelSize: 3,
        strides,
        useBias: false,
        kernelInitializer: 'glorotUniform',
        name,
      }),
      x,
    );
  let x = relu(bn(conv(input, 32, 2, 'block1_conv1'), 'block1_conv1_bn'), 'block1_conv1_act');
  x = relu(bn(conv(x, 64, 1, 'block1_conv2'), 'block1_conv2_bn'), 'block1_conv2_act');

  // Entry flow: blocks 2-4 (block 2 has no ReLU before its first separable convolution).
  const entry: ReadonlyArray<readonly [number, number]> = [
    [2, 128],
    [3, 256],
    [4, 728],
  ];
  for (const [b, filters] of entry) {
    const residual = residualBranch(x, filters);
    if (b > 2) x = relu(x, `block${b}_sepconv1_act`);
    x = bn(sepconv(x, filters, `block${b}_sepconv1`), `block${b}_sepconv1_bn`);
    x = relu(x, `block${b}_sepconv2_act`);
    x = bn(sepconv(x, filters, `block${b}_sepconv2`), `block${b}_sepconv2_bn`);
    x = add(pool(x, `block${b}_pool`), residual);
  }

  // Middle flow: blocks 5-12, identity shortcuts.
  for (let b = 5; b <= 12; b++) {
    const residual = x;
    for (let i = 1; i <= 3; i++) {
      x = relu(x, `block${b}_sepconv${i}_act`);
      x = bn(sepconv(x, 728, `block${b}_sepconv${i}`), `block${b}_sepconv${i}_bn`);
    }
    x = add(x, residual);
  }

  // Exit flow.
  const residual = residualBranch(x, 1024);
  x = relu(x, 'block13_sepconv1_act');
  x = bn(sepconv(x, 728, 'block13_sepconv1'), 'block13_sepconv1_bn');
  x = relu(x, 'block13_sepconv2_act');
  x = bn(sepconv(x, 1024, 'block13_sepconv2'), 'block13_sepconv2_bn');
  x = add(pool(x, 'block13_pool'), residual);
  x = relu(bn(sepconv(x, 1536, 'block14_sepconv1'), 'block14_sepconv1_bn'), 'block14_sepconv1_act');
  x = relu(bn(sepconv(x, 2048, 'block14_sepconv2'), 'block14_sepconv2_bn'), 'block14_sepconv2_act');

  x = apply(tfl.layers.globalAveragePooling2d({ name: 'avg_pool' }), x);
  x = predictions(x);
  return tfl.model({ inputs: input, outputs: x, name: 'xception' });
}

export const xception: ModelSpec = {
  id: 'xception',
  name: 'Xception',
  inputSize: 299,
  preprocessing: 'tf',
  defaultLayer: 'block14_sepconv2_act',
  parameters: 22_910_480,
  summary:
    'Depthwise separable convolutions throughout (2016): most accurate here, 299x299 input, 10x10 maps.',
  description:
    'Xception (François Chollet, Google, 2016; CVPR 2017), "Extreme Inception", replaces Inception modules ' +
    'with depthwise separable convolutions: each 3x3 filter sees one channel, then a 1x1 convolution mixes ' +
    'channels. Its 36 convolution layers form 14 blocks, all but the first and last with residual ' +
    'connections; counting depthwise and pointwise convolutions separately it has 71 weight layers, with ' +
    '22,910,480 parameters, about as many as Inception V3. It takes 299x299 images. Keras reports 79.0% ' +
    'top-1 and 94.5% top-5 ImageNet accuracy, the best of the four models here. Its last activation, ' +
    'block14_sepconv2_act, gives 10x10 Grad-CAM maps.',
  facts: {
    year: 2016,
    depth: 71,
    top1: 0.79,
    top5: 0.945,
    paper: {
      title: 'Xception: Deep Learning with Depthwise Separable Convolutions',
      authors: 'François Chollet',
      venue: 'CVPR 2017',
      year: 2017,
      url: 'https://arxiv.org/abs/1610.02357',
    },
  },
  weights: {
    // keras/src/applications/xception.py: WEIGHTS_PATH and file_hash (md5, 32 hex digits).
    fileName: 'xception_weights_tf_dim_ordering_tf_kernels.h5',
    url: 'https://storage.googleapis.com/tensorflow/keras-applications/xception/xception_weights_tf_dim_ordering_tf_kernels.h5',
    hash: { algorithm: 'md5', value: '0a58e3b7378bc2990ea3b43d5981f1f6' },
    // Total size printed by Keras' get_file progress bar for this URL.
    bytes: 91_884_032,
  },
  build,
};
