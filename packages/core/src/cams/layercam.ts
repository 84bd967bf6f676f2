import * as tf from '@tensorflow/tfjs-core';
import { LayerCamMethod } from './base.js';

/** LayerCAM (Jiang et al. 2021, eq. 6-7): map = sum_k ReLU(G^k) * A^k elementwise. */
export class LayerCam extends LayerCamMethod {
  constructor() {
    super({
      id: 'layercam',
      name: 'LayerCAM',
      summary:
        'Keeps only positive gradients, position by position: finer maps, also at early layers.',
      citation: 'Jiang et al., "LayerCAM", IEEE TIP 2021, eq. 6-7',
      kind: 'gradient',
    });
  }
  protected override map(a: tf.Tensor4D, g: tf.Tensor4D | null): tf.Tensor2D {
    const [, h, w] = a.shape;
    return tf.tidy(() => tf.reshape(tf.sum(tf.mul(tf.relu(g!), a), 3), [h, w]) as tf.Tensor2D);
  }
}

export default new LayerCam();
