import * as tf from '@tensorflow/tfjs-core';
import { LayerCamMethod } from './base.js';

/**
 * HiResCAM (Draelos & Carin, arXiv 2011.08891, eq. 5): map = sum_k G^k * A^k elementwise, no pooling.
 * Their faithfulness guarantee is for a last convolutional layer followed by one dense layer. Behind
 * global average pooling the gradient is the same at every position and HiResCAM equals Grad-CAM.
 */
export class HiResCam extends LayerCamMethod {
  constructor() {
    super({
      id: 'hirescam',
      name: 'HiResCAM',
      summary:
        'Multiplies gradients and activations position by position: faithful when the layer feeds one dense layer; behind global average pooling it equals Grad-CAM.',
      citation: 'Draelos & Carin, "Use HiResCAM instead of Grad-CAM", arXiv 2011.08891, eq. 5',
      kind: 'gradient',
    });
  }
  protected override map(a: tf.Tensor4D, g: tf.Tensor4D | null): tf.Tensor2D {
    const [, h, w] = a.shape;
    return tf.tidy(() => tf.reshape(tf.sum(tf.mul(g!, a), 3), [h, w]) as tf.Tensor2D);
  }
}

export default new HiResCam();
