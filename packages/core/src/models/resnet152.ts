// ResNet152: `ResNet152` in keras-team/keras `keras/src/applications/resnet.py` (plain data; built by
// families/resnet.ts).
import type { ModelSpec } from './types.js';

export const resnet152 = {
  id: 'resnet152',
  name: 'ResNet152',
  inputSize: 224,
  preprocessing: 'caffe',
  defaultLayer: 'conv5_block3_out',
  parameters: 60_419_944,
  summary:
    'The deepest ResNet of the paper (2015): 50 residual blocks, the best ResNet here, 7x7 maps.',
  description:
    'ResNet152 (He, Zhang, Ren and Sun, Microsoft Research, 2015; CVPR 2016) is the deepest network of the ' +
    'ResNet paper’s ImageNet experiments: 8 bottleneck residual blocks at 28x28 and 36 at 14x14, 50 blocks ' +
    'in all, built by the same Keras function as ResNet50. It has 152 weight layers (151 convolutions and one ' +
    'fully connected layer, not counting the four 1x1 projection shortcuts) and 60,419,944 parameters, yet ' +
    'with 11.3 billion FLOPs it computes less than VGG16 or VGG19 (15.3 and 19.6 billion). An ensemble ' +
    'including two ResNet152s won ILSVRC 2015 classification with 3.57% top-5 error. Keras reports 76.6% ' +
    'top-1 and 93.1% top-5 ImageNet accuracy. Its last block output, conv5_block3_out, gives 7x7 Grad-CAM maps.',
  facts: {
    year: 2015,
    depth: 152,
    top1: 0.766,
    top5: 0.931,
    paper: {
      title: 'Deep Residual Learning for Image Recognition',
      authors: 'Kaiming He, Xiangyu Zhang, Shaoqing Ren, Jian Sun',
      venue: 'CVPR 2016',
      year: 2016,
      url: 'https://arxiv.org/abs/1512.03385',
    },
  },
  weights: {
    // keras/src/applications/resnet.py: BASE_WEIGHTS_PATH + file name, WEIGHTS_HASHES["resnet152"][0] (md5).
    fileName: 'resnet152_weights_tf_dim_ordering_tf_kernels.h5',
    url: 'https://storage.googleapis.com/tensorflow/keras-applications/resnet/resnet152_weights_tf_dim_ordering_tf_kernels.h5',
    hash: { algorithm: 'md5', value: '100835be76be38e30d865e96f2aaae62' },
    // Progress estimate: the _notop file's printed size (234,698,864) plus the 8,201,688 bytes that the
    // top adds to both the ResNet50 and the ResNet101 files.
    bytes: 242_900_552,
  },
  family: { name: 'resnet', blocksPerStack: [3, 8, 36, 3] },
} as const satisfies ModelSpec;
