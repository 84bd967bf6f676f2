// ResNet101: `ResNet101` in keras-team/keras `keras/src/applications/resnet.py` (plain data; built by
// families/resnet.ts).
import type { ModelSpec } from './types.js';

export const resnet101 = {
  id: 'resnet101',
  name: 'ResNet101',
  inputSize: 224,
  preprocessing: 'caffe',
  defaultLayer: 'conv5_block3_out',
  parameters: 44_707_176,
  summary:
    'ResNet50 with 17 more residual blocks (2015): more accurate, twice the compute, 7x7 maps.',
  description:
    'ResNet101 (He, Zhang, Ren and Sun, Microsoft Research, 2015; CVPR 2016) is ResNet50 with a longer ' +
    'third stage: 23 instead of 6 bottleneck residual blocks at 14x14, 33 blocks in all, built by the same ' +
    'Keras function. It has 101 weight layers (100 convolutions and one fully connected layer, not counting ' +
    'the four 1x1 projection shortcuts) and 44,707,176 parameters, about twice the computation of ResNet50 ' +
    '(7.6 against 3.8 billion FLOPs in the paper). Keras reports 76.4% top-1 and 92.8% top-5 ImageNet ' +
    'accuracy. Its last block output, conv5_block3_out, gives 7x7 Grad-CAM maps.',
  facts: {
    year: 2015,
    depth: 101,
    top1: 0.764,
    top5: 0.928,
    paper: {
      title: 'Deep Residual Learning for Image Recognition',
      authors: 'Kaiming He, Xiangyu Zhang, Shaoqing Ren, Jian Sun',
      venue: 'CVPR 2016',
      year: 2016,
      url: 'https://arxiv.org/abs/1512.03385',
    },
  },
  weights: {
    // keras/src/applications/resnet.py: BASE_WEIGHTS_PATH + file name, WEIGHTS_HASHES["resnet101"][0] (md5).
    fileName: 'resnet101_weights_tf_dim_ordering_tf_kernels.h5',
    url: 'https://storage.googleapis.com/tensorflow/keras-applications/resnet/resnet101_weights_tf_dim_ordering_tf_kernels.h5',
    hash: { algorithm: 'md5', value: 'f1aeb4b969a6efcfb50fad2f0c20cfc5' },
    // Total size printed by Keras' get_file progress bar for this URL.
    bytes: 179_648_224,
  },
  family: { name: 'resnet', blocksPerStack: [3, 4, 23, 3] },
} as const satisfies ModelSpec;
