import * as tf from '@tensorflow/tfjs-core';
import { LayerCamMethod } from './base.js';

/**
 * XGrad-CAM (Fu et al. 2020, eq. 9): alpha_k = sum_ij(G A) / sum_ij(A), 0 where sum_ij(A) is 0.
 */
export class XGradCam extends LayerCamMethod {
  constructor() {
    super({
      id: 'xgradcam',
      name: 'XGrad-CAM',
      summary:
        'Weights each gradient by its activation, derived from sensitivity and conservation axioms.',
      citation: 'Fu et al., "Axiom-based Grad-CAM", BMVC 2020, eq. 9',
      kind: 'gradient',
    });
  }
  protected override weights(a: tf.Tensor4D, g: tf.Tensor4D | null): tf.Tensor1D {
    return tf.tidy(() => {
      const num = tf.sum(tf.mul(g!, a), [0, 1, 2]);
      const den = tf.sum(a, [0, 1, 2]);
      const nz = tf.notEqual(den, 0);
      return tf.where(
        nz,
        tf.div(num, tf.where(nz, den, tf.onesLike(den))),
        tf.zerosLike(den),
      ) as tf.Tensor1D;
    });
  }
}

export default new XGradCam();
