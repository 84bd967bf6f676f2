import type { LayerMethod } from './types.js';

/**
 * Top eigenvector of a symmetric positive semi-definite n x n matrix (float64, row-major) by power
 * iteration, started from `start`.
 */
export function topEigenvector(
  m: Float64Array,
  n: number,
  start: Float64Array,
): { vector: Float64Array; value: number } {
  const v = Float64Array.from(start);
  let norm = Math.hypot(...v);
  if (!(norm > 0)) {
    v.fill(1);
    norm = Math.sqrt(n);
  }
  for (let i = 0; i < n; i++) v[i] /= norm;
  let value = 0;
  const next = new Float64Array(n);
  for (let iter = 0; iter < 2000; iter++) {
    for (let r = 0; r < n; r++) {
      let s = 0;
      const row = r * n;
      for (let c = 0; c < n; c++) s += m[row + c] * v[c];
      next[r] = s;
    }
    let nn = 0;
    for (let i = 0; i < n; i++) nn += next[i] * next[i];
    nn = Math.sqrt(nn);
    if (nn === 0) return { vector: v, value: 0 };
    let change = 0;
    for (let i = 0; i < n; i++) {
      const x = next[i] / nn;
      change = Math.max(change, Math.abs(x - v[i]));
      v[i] = x;
    }
    value = nn;
    if (change < 1e-10) break;
  }
  return { vector: v, value };
}

/**
 * Eigen-CAM (Muhammad & Yeasin 2020, eq. 6): the projection of the centred activations
 * (positions x channels) on their first principal component. Gradient-free, so class-agnostic.
 * The SVD's sign is arbitrary: we choose the one that correlates positively with sum_k A^k.
 */
export const eigencam: LayerMethod = {
  id: 'eigencam',
  name: 'Eigen-CAM',
  summary:
    'First principal component of the activations: no gradients, the same map for every class.',
  citation: 'Muhammad & Yeasin, "Eigen-CAM", IJCNN 2020, eq. 6',
  kind: 'gradient-free',
  supportsCounterfactual: false,
  map(tf, a) {
    const [, h, w, k] = a.shape;
    const n = h * w;
    // X: positions x channels, centred per channel.
    const { gram, x, sum } = tf.tidy(() => {
      const x2 = tf.reshape(a, [n, k]);
      const xc = tf.sub(x2, tf.mean(x2, 0, true));
      const useRows = n <= k;
      const g = useRows ? tf.matMul(xc, xc, false, true) : tf.matMul(xc, xc, true, false);
      return { gram: g, x: xc, sum: tf.sum(x2, 1) };
    });
    const size = gram.shape[0];
    const gData = Float64Array.from(gram.dataSync());
    const sumData = sum.dataSync();
    let projection: Float64Array;
    if (size === n) {
      // X X^T u = s^2 u, and X v = s u: projection = sqrt(lambda) u.
      const start = Float64Array.from(sumData, (v) => v);
      const { vector, value } = topEigenvector(gData, n, start);
      projection = vector.map((v) => v * Math.sqrt(value));
    } else {
      const xData = x.dataSync();
      const start = new Float64Array(k).fill(1);
      const { vector } = topEigenvector(gData, k, start);
      projection = new Float64Array(n);
      for (let p = 0; p < n; p++) {
        let s = 0;
        for (let c = 0; c < k; c++) s += xData[p * k + c] * vector[c];
        projection[p] = s;
      }
    }
    gram.dispose();
    x.dispose();
    sum.dispose();
    let corr = 0;
    let meanP = 0;
    let meanS = 0;
    for (let p = 0; p < n; p++) {
      meanP += projection[p] / n;
      meanS += sumData[p] / n;
    }
    for (let p = 0; p < n; p++) corr += (projection[p] - meanP) * (sumData[p] - meanS);
    const sign = corr < 0 ? -1 : 1;
    return tf.tensor2d(
      Float32Array.from(projection, (v) => v * sign),
      [h, w],
    );
  },
};

export default eigencam;
