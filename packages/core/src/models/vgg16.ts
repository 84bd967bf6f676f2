// VGG16: keras-team/keras `keras/src/applications/vgg16.py` (plain data; built by families/vgg.ts).
import type { ModelSpec } from './types.js';

export const vgg16 = {
  id: 'vgg16',
  name: 'VGG16',
  inputSize: 224,
  preprocessing: 'caffe',
  defaultLayer: 'block5_conv3',
  parameters: 138_357_544,
  summary:
    'Plain stack of 3x3 convolutions (2014): simple and large, with sharper 14x14 Grad-CAM maps.',
  description:
    'VGG16 (Simonyan and Zisserman, Oxford Visual Geometry Group, 2014; ICLR 2015) stacks thirteen 3x3 ' +
    'convolution layers in five blocks, each block ending in 2x2 max pooling, followed by three fully ' +
    'connected layers: 16 weight layers and 138,357,544 parameters, three quarters of them in the first ' +
    'fully connected layer. It was runner-up in the ILSVRC 2014 classification task and showed that depth built ' +
    'from small filters beats larger filters. Keras reports 71.3% top-1 and 90.1% top-5 ImageNet accuracy. ' +
    'Its last convolution layer, block5_conv3, gives 14x14 Grad-CAM maps, the layer used in the Grad-CAM paper.',
  facts: {
    year: 2014,
    depth: 16,
    top1: 0.713,
    top5: 0.901,
    paper: {
      title: 'Very Deep Convolutional Networks for Large-Scale Image Recognition',
      authors: 'Karen Simonyan, Andrew Zisserman',
      venue: 'ICLR 2015',
      year: 2015,
      url: 'https://arxiv.org/abs/1409.1556',
    },
  },
  weights: {
    // keras/src/applications/vgg16.py: WEIGHTS_PATH and file_hash (md5, 32 hex digits).
    fileName: 'vgg16_weights_tf_dim_ordering_tf_kernels.h5',
    url: 'https://storage.googleapis.com/tensorflow/keras-applications/vgg16/vgg16_weights_tf_dim_ordering_tf_kernels.h5',
    hash: { algorithm: 'md5', value: '64373286793e3c8b2b4e3219cbf3544b' },
    // Total size printed by Keras' get_file progress bar for this URL.
    bytes: 553_467_096,
  },
  family: { name: 'vgg', convsPerBlock: [2, 2, 3, 3, 3] },
} as const satisfies ModelSpec;
