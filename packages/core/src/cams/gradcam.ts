import * as tf from '@tensorflow/tfjs-core';
import { LayerCamMethod } from './base.js';

/**
 * Grad-CAM (Selvaraju et al., IJCV 2020, eq. 1-2; numbered alike in the conference version):
 * alpha_k = mean over positions of dy^c/dA^k, map = ReLU(sum_k alpha_k A^k).
 */
export class GradCam extends LayerCamMethod {
  constructor() {
    super({
      id: 'gradcam',
      name: 'Grad-CAM',
      summary:
        'Weights each channel by its average gradient: where the features that raise the class score are.',
      citation: 'Selvaraju et al., "Grad-CAM", IJCV 2020, eq. 1-2',
      kind: 'gradient',
    });
  }
  protected override weights(_a: tf.Tensor4D, g: tf.Tensor4D | null): tf.Tensor1D {
    return tf.tidy(() => tf.reshape(tf.mean(g!, [0, 1, 2]), [-1]) as tf.Tensor1D);
  }
}

export default new GradCam();
