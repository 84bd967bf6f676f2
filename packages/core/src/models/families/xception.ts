// The Xception family as in keras-team/keras `keras/src/applications/xception.py` (include_top=True,
// 1000 classes). Chollet, "Xception: Deep Learning with Depthwise Separable Convolutions", CVPR 2017.
import * as tfl from '@tensorflow/tfjs-layers';
import type { ModelSpec } from '../types.js';
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

/** `Xception()` at the spec's input size (299 for the official weights). */
export function buildXception(spec: ModelSpec): tfl.LayersModel {
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

  const input = tfl.input({ shape: [spec.inputSize, spec.inputSize, 3], name: 'input_layer' });
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
