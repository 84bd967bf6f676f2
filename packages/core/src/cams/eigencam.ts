import type { Tensor4D } from '@tensorflow/tfjs-core';
import type { LayerMethod, Tf } from './types.js';

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
 * The first principal component of the centred activations X (positions x channels) of `a`
 * [1, H, W, K]: `component` v (K values, unit length) and `projection` X v (one value per position),
 * with the SVD's arbitrary sign chosen so that the projection correlates positively with sum_k A^k.
 * Eigen-CAM's map is the projection; "How was this computed?" shows v as the channels' weights.
 */
export function eigenComponent(
  tf: Tf,
  a: Tensor4D,
): { component: Float64Array; projection: Float64Array } {
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
  const xData = x.dataSync();
  gram.dispose();
  x.dispose();
  sum.dispose();
  let projection: Float64Array;
  let component: Float64Array;
  if (size === n) {
    // X X^T u = s^2 u, and X v = s u: projection = sqrt(lambda) u, v = X^T u / sqrt(lambda).
    const start = Float64Array.from(sumData, (v) => v);
    const { vector, value } = topEigenvector(gData, n, start);
    const s = Math.sqrt(value);
    projection = vector.map((v) => v * s);
    component = new Float64Array(k);
    if (s > 0) {
      for (let p = 0; p < n; p++) {
        for (let c = 0; c < k; c++) component[c] += (xData[p * k + c] * vector[p]) / s;
      }
    }
  } else {
    const start = new Float64Array(k).fill(1);
    component = topEigenvector(gData, k, start).vector;
    projection = new Float64Array(n);
    for (let p = 0; p < n; p++) {
      let s = 0;
      for (let c = 0; c < k; c++) s += xData[p * k + c] * component[c];
      projection[p] = s;
    }
  }
  let corr = 0;
  let meanP = 0;
  let meanS = 0;
  for (let p = 0; p < n; p++) {
    meanP += projection[p] / n;
    meanS += sumData[p] / n;
  }
  for (let p = 0; p < n; p++) corr += (projection[p] - meanP) * (sumData[p] - meanS);
  if (corr < 0) {
    projection = projection.map((v) => -v);
    component = component.map((v) => -v);
  }
  return { component, projection };
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
    const [, h, w] = a.shape;
    const { projection } = eigenComponent(tf, a);
    return tf.tensor2d(Float32Array.from(projection), [h, w]);
  },
};

export default eigencam;
