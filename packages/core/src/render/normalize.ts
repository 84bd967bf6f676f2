export interface NormalizedMap {
  /** max(x, 0) / max over the map, in [0, 1]; all zeros when no value is positive. */
  values: Float32Array;
  /** Largest input value before ReLU (NaN ignored; 0 for an empty map). */
  max: number;
  /** Smallest input value before ReLU (NaN ignored; 0 for an empty map). */
  min: number;
}

/**
 * ReLU, then divide by the maximum (Grad-CAM, Selvaraju et al., IJCV 2020, eq. 2, and the usual
 * display scaling). The guard is `max > 0` rather than an epsilon: pytorch-grad-cam's
 * `x / (1e-7 + max)` would turn a map with maximum 1e-12 into near-black, while here any positive
 * maximum becomes exactly 1 and an all-zero (or all-negative) map stays all zero, never NaN.
 * NaN entries count as 0. An infinite maximum maps the infinite entries to 1 and the rest to 0.
 */
export function normalizeMap(values: Float32Array): NormalizedMap {
  let max = -Infinity;
  let min = Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v > max) max = v;
    if (v < min) min = v;
  }
  if (max === -Infinity) max = 0; // empty or all NaN
  if (min === Infinity) min = 0;

  const out = new Float32Array(values.length);
  if (max > 0 && max < Infinity) {
    // Division (not multiplication by 1 / max) so that the maximum maps to exactly 1.
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      out[i] = v > 0 ? v / max : 0;
    }
  } else if (max === Infinity) {
    for (let i = 0; i < values.length; i++) out[i] = values[i] === Infinity ? 1 : 0;
  }
  return { values: out, max, min };
}
