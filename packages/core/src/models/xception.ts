// Xception: keras-team/keras `keras/src/applications/xception.py` (plain data; built by
// families/xception.ts).
import type { ModelSpec } from './types.js';

export const xception = {
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
    'top-1 and 94.5% top-5 ImageNet accuracy, the best of the networks here. Its last activation, ' +
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
  family: { name: 'xception' },
} as const satisfies ModelSpec;
