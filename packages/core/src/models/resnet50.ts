// ResNet50: `ResNet50` in keras-team/keras `keras/src/applications/resnet.py` (plain data; built by
// families/resnet.ts).
import type { ModelSpec } from './types.js';

export const resnet50 = {
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
  family: { name: 'resnet', blocksPerStack: [3, 4, 6, 3] },
} as const satisfies ModelSpec;
