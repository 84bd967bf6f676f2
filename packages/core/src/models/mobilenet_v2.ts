// MobileNetV2 (alpha 1.0, 224): keras-team/keras `keras/src/applications/mobilenet_v2.py` (plain data;
// built by families/mobilenet_v2.ts).
import type { ModelSpec } from './types.js';

export const mobilenetV2 = {
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
  family: { name: 'mobilenet_v2' },
} as const satisfies ModelSpec;
