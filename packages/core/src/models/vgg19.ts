// VGG19: keras-team/keras `keras/src/applications/vgg19.py` (plain data; built by families/vgg.ts).
import type { ModelSpec } from './types.js';

export const vgg19 = {
  id: 'vgg19',
  name: 'VGG19',
  inputSize: 224,
  preprocessing: 'caffe',
  defaultLayer: 'block5_conv4',
  parameters: 143_667_240,
  summary:
    'VGG16 with three more convolutions (2014): the largest network here, no more accurate, 14x14 maps.',
  description:
    'VGG19 (Simonyan and Zisserman, Oxford Visual Geometry Group, 2014; ICLR 2015) is the deepest ' +
    'configuration of the VGG paper: VGG16 with a fourth 3x3 convolution in each of its last three blocks, ' +
    'so sixteen convolution layers in five blocks, each block ending in 2x2 max pooling, followed by three ' +
    'fully connected layers: 19 weight layers and 143,667,240 parameters, about 19.6 billion FLOPs per ' +
    '224x224 image. The three extra layers buy little: Keras reports 71.3% top-1 and 90.0% top-5 ImageNet ' +
    'accuracy, the same top-1 as VGG16. Its last convolution layer, block5_conv4, gives 14x14 Grad-CAM maps.',
  facts: {
    year: 2014,
    depth: 19,
    top1: 0.713,
    top5: 0.9,
    paper: {
      title: 'Very Deep Convolutional Networks for Large-Scale Image Recognition',
      authors: 'Karen Simonyan, Andrew Zisserman',
      venue: 'ICLR 2015',
      year: 2015,
      url: 'https://arxiv.org/abs/1409.1556',
    },
  },
  weights: {
    // keras/src/applications/vgg19.py: WEIGHTS_PATH and file_hash (md5, 32 hex digits).
    fileName: 'vgg19_weights_tf_dim_ordering_tf_kernels.h5',
    url: 'https://storage.googleapis.com/tensorflow/keras-applications/vgg19/vgg19_weights_tf_dim_ordering_tf_kernels.h5',
    hash: { algorithm: 'md5', value: 'cbe5617147190e668d6c5d5026f83318' },
    // Total size printed by Keras' get_file progress bar for this URL.
    bytes: 574_710_816,
  },
  family: { name: 'vgg', convsPerBlock: [2, 2, 4, 4, 4] },
} as const satisfies ModelSpec;
