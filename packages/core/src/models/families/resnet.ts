// The ResNet (v1) family as in keras-team/keras `keras/src/applications/resnet.py`: one builder,
// `ResNet(stack_fn)`, for ResNet50/101/152, which differ only in the number of residual blocks per
// stack (include_top=True, 1000 classes).
// He, Zhang, Ren, Sun, "Deep Residual Learning for Image Recognition", CVPR 2016.
import * as tfl from '@tensorflow/tfjs-layers';
import type { ModelSpec, ResNetFamily } from '../types.js';
import { apply, predictions, type Sym } from './keras-layers.js';

/** resnet.py uses epsilon=1.001e-5 for every BatchNormalization. */
const EPSILON = 1.001e-5;

/** Bottleneck width and first-block stride of stacks conv2..conv5 (every `stack_fn` in resnet.py). */
const STACKS: ReadonlyArray<readonly [filters: number, stride1: number]> = [
  [64, 1],
  [128, 2],
  [256, 2],
  [512, 2],
];

const conv = (
  x: Sym,
  filters: number,
  kernelSize: number,
  strides: number,
  name: string,
  padding: 'valid' | 'same' = 'valid',
) =>
  apply(
    tfl.layers.conv2d({
      filters,
      kernelSize,
      strides,
      padding,
      kernelInitializer: 'glorotUniform',
      name,
    }),
    x,
  );
const bn = (x: Sym, name: string) =>
  apply(tfl.layers.batchNormalization({ axis: -1, epsilon: EPSILON, name }), x);
const relu = (x: Sym, name: string) =>
  apply(tfl.layers.activation({ activation: 'relu', name }), x);
const pad = (x: Sym, p: number, name: string) =>
  apply(
    tfl.layers.zeroPadding2d({
      padding: [
        [p, p],
        [p, p],
      ],
      name,
    }),
    x,
  );

/** `residual_block_v1`: bottleneck 1x1 -> 3x3 -> 1x1 (4x filters), plus identity or 1x1-conv shortcut. */
function block(x: Sym, filters: number, stride: number, convShortcut: boolean, name: string): Sym {
  let shortcut = x;
  if (convShortcut) {
    shortcut = conv(x, 4 * filters, 1, stride, `${name}_0_conv`);
    shortcut = bn(shortcut, `${name}_0_bn`);
  }
  let y = conv(x, filters, 1, stride, `${name}_1_conv`);
  y = relu(bn(y, `${name}_1_bn`), `${name}_1_relu`);
  y = conv(y, filters, 3, 1, `${name}_2_conv`, 'same');
  y = relu(bn(y, `${name}_2_bn`), `${name}_2_relu`);
  y = conv(y, 4 * filters, 1, 1, `${name}_3_conv`);
  y = bn(y, `${name}_3_bn`);
  // Input order [shortcut, y] as in Keras (it fixes the layer order Keras' HDF5 loader relies on).
  y = apply(tfl.layers.add({ name: `${name}_add` }), [shortcut, y]);
  return relu(y, `${name}_out`);
}

/** `stack_residual_blocks_v1`. */
function stack(x: Sym, filters: number, blocks: number, stride1: number, name: string): Sym {
  x = block(x, filters, stride1, true, `${name}_block1`);
  for (let i = 2; i <= blocks; i++) x = block(x, filters, 1, false, `${name}_block${i}`);
  return x;
}

/** `ResNet(stack_fn, preact=False, use_bias=True, model_name=spec.id)`. */
export function buildResNet(spec: ModelSpec, family: ResNetFamily): tfl.LayersModel {
  if (family.blocksPerStack.length !== STACKS.length) {
    throw new Error(`${spec.id}: a ResNet has ${STACKS.length} stacks`);
  }
  const input = tfl.input({ shape: [spec.inputSize, spec.inputSize, 3], name: 'input_layer' });
  let x = pad(input, 3, 'conv1_pad');
  x = conv(x, 64, 7, 2, 'conv1_conv');
  x = relu(bn(x, 'conv1_bn'), 'conv1_relu');
  x = pad(x, 1, 'pool1_pad');
  x = apply(tfl.layers.maxPooling2d({ poolSize: 3, strides: 2, name: 'pool1_pool' }), x);
  STACKS.forEach(([filters, stride1], i) => {
    x = stack(x, filters, family.blocksPerStack[i], stride1, `conv${i + 2}`);
  });
  x = apply(tfl.layers.globalAveragePooling2d({ name: 'avg_pool' }), x);
  x = predictions(x);
  return tfl.model({ inputs: input, outputs: x, name: spec.id });
}
