import type { Tensor2D } from '@tensorflow/tfjs-core';
import type { LayerMethod } from './types.js';

/** LayerCAM (Jiang et al. 2021, eq. 6-7): map = sum_k ReLU(G^k) * A^k elementwise. */
export const layercam: LayerMethod = {
  id: 'layercam',
  name: 'LayerCAM',
  summary: 'Keeps only positive gradients, position by position: finer maps, also at early layers.',
  citation: 'Jiang et al., "LayerCAM", IEEE TIP 2021, eq. 6-7',
  kind: 'gradient',
  supportsCounterfactual: true,
  map(tf, a, g) {
    const [, h, w] = a.shape;
    return tf.reshape(tf.sum(tf.mul(tf.relu(g!), a), 3), [h, w]) as Tensor2D;
  },
};

export default layercam;
