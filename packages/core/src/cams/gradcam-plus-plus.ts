import type { Tensor1D } from '@tensorflow/tfjs-core';
import type { LayerMethod } from './types.js';

/**
 * Grad-CAM++ (Chattopadhay et al. 2018, eq. 19 with the exponential-output simplification):
 * a_ij^k = G^2 / (2 G^2 + sum_ab(A^k_ab) G^3), a = 0 where G or the denominator is 0,
 * alpha_k = sum_ij ReLU(G_ij^k) a_ij^k. No epsilon: pytorch-grad-cam's 1e-6 swamps small gradients.
 * Its advantage for several instances of a class is disputed: Lerma & Lucas (2022, arXiv 2205.10838)
 * find it practically equivalent to Grad-CAM computed with positive gradients only.
 */
export const gradcamPlusPlus: LayerMethod = {
  id: 'gradcam++',
  name: 'Grad-CAM++',
  summary:
    'Weights positive gradients pixel by pixel; meant for several instances of a class, a gain later disputed.',
  citation: 'Chattopadhay et al., "Grad-CAM++", WACV 2018, eq. 19',
  kind: 'gradient',
  supportsCounterfactual: true,
  weights(tf, a, g) {
    const g2 = tf.square(g!);
    const g3 = tf.mul(g2, g!);
    const sumA = tf.sum(a, [1, 2], true);
    const denom = tf.add(tf.mul(g2, 2), tf.mul(sumA, g3));
    const valid = tf.logicalAnd(tf.notEqual(g!, 0), tf.notEqual(denom, 0));
    const safe = tf.where(valid, denom, tf.onesLike(denom));
    const alpha = tf.where(valid, tf.div(g2, safe), tf.zerosLike(denom));
    return tf.reshape(tf.sum(tf.mul(tf.relu(g!), alpha), [0, 1, 2]), [-1]) as Tensor1D;
  },
};

export default gradcamPlusPlus;
