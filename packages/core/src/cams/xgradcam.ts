import type { Tensor1D } from '@tensorflow/tfjs-core';
import type { LayerMethod } from './types.js';

/**
 * XGrad-CAM (Fu et al. 2020, eq. 9): alpha_k = sum_ij(G A) / sum_ij(A), 0 where sum_ij(A) is 0.
 */
export const xgradcam: LayerMethod = {
  id: 'xgradcam',
  name: 'XGrad-CAM',
  summary:
    'Weights each gradient by its activation, derived from sensitivity and conservation axioms.',
  citation: 'Fu et al., "Axiom-based Grad-CAM", BMVC 2020, eq. 9',
  kind: 'gradient',
  supportsCounterfactual: true,
  weights(tf, a, g) {
    const num = tf.sum(tf.mul(g!, a), [0, 1, 2]);
    const den = tf.sum(a, [0, 1, 2]);
    const nz = tf.notEqual(den, 0);
    return tf.where(
      nz,
      tf.div(num, tf.where(nz, den, tf.onesLike(den))),
      tf.zerosLike(den),
    ) as Tensor1D;
  },
};

export default xgradcam;
