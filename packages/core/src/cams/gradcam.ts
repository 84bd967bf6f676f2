import type { Tensor1D } from '@tensorflow/tfjs-core';
import type { LayerMethod } from './types.js';

/**
 * Grad-CAM (Selvaraju et al., IJCV 2020, eq. 1-2; numbered alike in the conference version):
 * alpha_k = mean over positions of dy^c/dA^k, map = ReLU(sum_k alpha_k A^k).
 */
export const gradcam: LayerMethod = {
  id: 'gradcam',
  name: 'Grad-CAM',
  summary:
    'Weights each channel by its average gradient: where the features that raise the class score are.',
  citation: 'Selvaraju et al., "Grad-CAM", IJCV 2020, eq. 1-2',
  kind: 'gradient',
  supportsCounterfactual: true,
  weights: (tf, _a, g) => tf.reshape(tf.mean(g!, [0, 1, 2]), [-1]) as Tensor1D,
};

export default gradcam;
