// ResNet50 (v1) as in keras-team/keras `keras/src/applications/resnet.py` (include_top=True, 1000 classes).
// He, Zhang, Ren, Sun, "Deep Residual Learning for Image Recognition", CVPR 2016.
import * as tfl from '@tensorflow/tfjs-layers';
import type { ModelSpec } from './types.js';
import { apply, predictions, type Sym } from './keras-layers.js';

/** resnet.py uses epsilon=1.001e-5 for every BatchNormalization. */
const EPSILON = 1.001e-5;

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

function build(): tfl.LayersModel {
  const input = tfl.input({ shape: [224, 224, 3], name: 'input_layer' });
  let x = apply(
    tfl.layers.zeroPadding2d({
      padding: [
        [3, 3],
        [3, 3],
      ],
      name: 'conv1_pad',
    }),
    input,
  );
  x = conv(x, 64, 7, 2, 'conv1_conv');
  x = relu(bn(x, 'conv1_bn'), 'conv1_relu');
  x = apply(
    tfl.layers.zeroPadding2d({
      padding: [
        [1, 1],
        [1, 1],
      ],
      name: 'pool1_pad',
    }),
    x,
  );
  x = apply(tfl.layers.maxPooling2d({ poolSize: 3, strides: 2, name: 'pool1_pool' }), x);
  x = stack(x, 64, 3, 1, 'conv2');
  x = stack(x, 128, 4, 2, 'conv3');
  x = stack(x, 256, 6, 2, 'conv4');
  x = stack(x, 512, 3, 2, 'conv5');
  x = apply(tfl.layers.globalAveragePooling2d({ name: 'avg_pool' }), x);
  x = predictions(x);
  return tfl.model({ inputs: input, outputs: x, name: 'resnet50' });
}

export const resnet50: ModelSpec = {
  id: 'resnet50',
  name: 'ResNet50',
  inputSize: 224,
  preprocessing: 'caffe',
  defaultLayer: 'conv5_block3_out',
  parameters: 25_636_712,
  summary:
    'Residual network with skip connections (2015): the classic deep CNN, 7x7 Grad-CAM maps.',
  description:
    'ResNet50 (He, Zhang, Ren and Sun, Microsoft Research, 2015; CVPR 2016 best paper) is built from 16 ' +
    'bottleneck residual blocks (1x1, 3x3 and 1x1 convolutions) whose input is added back to their output, ' +
    'which lets very deep networks train. It has 50 weight layers (49 convolutions and one fully connected ' +
    'layer, not counting the four 1x1 projection shortcuts), batch normalization after every convolution, and ' +
    '25,636,712 parameters. Residual networks won ILSVRC 2015 classification. Keras reports 74.9% top-1 and ' +
    '92.1% top-5 ImageNet accuracy. Its last block output, conv5_block3_out, gives 7x7 Grad-CAM maps.',
  facts: {
    year: 2015,
    depth: 50,
    top1: 0.749,
    top5: 0.921,
    paper: {
      title: 'Deep Residual Learning for Image Recognition',
      authors: 'Kaiming He, Xiangyu Zhang, Shaoqing Ren, Jian Sun',
      venue: 'CVPR 2016',
      year: 2016,
      url: 'https://arxiv.org/abs/1512.03385',
    },
  },
  weights: {
    // keras/src/applications/resnet.py: BASE_WEIGHTS_PATH + file name, WEIGHTS_HASHES["resnet50"][0] (md5).
    fileName: 'resnet50_weights_tf_dim_ordering_tf_kernels.h5',
    url: 'https://storage.googleapis.com/tensorflow/keras-applications/resnet/resnet50_weights_tf_dim_ordering_tf_kernels.h5',
    hash: { algorithm: 'md5', value: '2cb95161c43110f7111970584f804107' },
    // Total size printed by Keras' get_file progress bar for this URL.
    bytes: 102_967_424,
  },
  build,
};
