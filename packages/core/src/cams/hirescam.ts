import type { Tensor2D } from '@tensorflow/tfjs-core';
import type { LayerMethod } from './types.js';

/**
 * HiResCAM (Draelos & Carin, arXiv 2011.08891, eq. 5): map = sum_k G^k * A^k elementwise, no pooling.
 * Their faithfulness guarantee is for a last convolutional layer followed by one dense layer. Behind
 * global average pooling the gradient is the same at every position and HiResCAM equals Grad-CAM.
 */
export const hirescam: LayerMethod = {
  id: 'hirescam',
  name: 'HiResCAM',
  summary:
    'Multiplies gradients and activations position by position: faithful when the layer feeds one dense layer; behind global average pooling it equals Grad-CAM.',
  citation: 'Draelos & Carin, "Use HiResCAM instead of Grad-CAM", arXiv 2011.08891, eq. 5',
  kind: 'gradient',
  supportsCounterfactual: true,
  map(tf, a, g) {
    const [, h, w] = a.shape;
    return tf.reshape(tf.sum(tf.mul(g!, a), 3), [h, w]) as Tensor2D;
  },
};

export default hirescam;
