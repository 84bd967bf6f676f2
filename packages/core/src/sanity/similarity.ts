// How similar two maps are, as the sanity check measures it (Adebayo et al. 2018, "Sanity Checks
// for Saliency Maps", NeurIPS, section 4: Spearman rank correlation and SSIM between the map of the
// trained network and the map after randomisation). Plain arithmetic, no TensorFlow.js.

/**
 * Ranks 1..n of `values`, ties sharing the mean of the ranks they span (the "fractional" ranking
 * that Spearman's coefficient needs when values repeat, e.g. the zeros of a map after ReLU).
 */
export function averageRanks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => values[a] - values[b] || a - b);
  const ranks = new Float64Array(n);
  for (let start = 0; start < n;) {
    let end = start + 1;
    while (end < n && values[order[end]] === values[order[start]]) end++;
    // Positions start..end-1 hold equal values: ranks start+1..end, mean (start + 1 + end) / 2.
    const rank = (start + 1 + end) / 2;
    for (let j = start; j < end; j++) ranks[order[j]] = rank;
    start = end;
  }
  return ranks;
}

/**
 * Pearson's correlation coefficient, cov(a, b) / (sd(a) sd(b)). A constant input has no spread and
 * shares no ordering with anything: the coefficient is undefined there, and this returns 0.
 */
export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  checkSameLength(a, b);
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i];
    mb += b[i];
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i] - ma;
    const db = b[i] - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  if (saa === 0 || sbb === 0) return 0;
  return Math.max(-1, Math.min(1, sab / Math.sqrt(saa * sbb)));
}

/**
 * Spearman's rank correlation: Pearson's coefficient of the average ranks (so ties are handled
 * exactly; without ties this equals 1 - 6 sum d_i^2 / (n (n^2 - 1))). In [-1, 1]; 0 when either
 * map is constant (e.g. all zero).
 */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  checkSameLength(a, b);
  return pearson(averageRanks(a), averageRanks(b));
}

/** SSIM's parameters; the defaults are Wang et al.'s (2004, section III-C). */
export interface SsimOptions {
  /** Side of the square Gaussian window (default 11). */
  window?: number;
  /** Standard deviation of the window, in pixels (default 1.5). */
  sigma?: number;
  /** C1 = (K1 L)^2 (default K1 = 0.01). */
  k1?: number;
  /** C2 = (K2 L)^2 (default K2 = 0.03). */
  k2?: number;
  /** L, the dynamic range of the values (default 1: maps normalised to [0, 1]). */
  dynamicRange?: number;
}

export const SSIM_DEFAULTS: Required<SsimOptions> = Object.freeze({
  window: 11,
  sigma: 1.5,
  k1: 0.01,
  k2: 0.03,
  dynamicRange: 1,
});

/** The 1-D Gaussian taps of the window, summing to 1 (the 2-D window is their outer product). */
export function gaussianTaps(size: number, sigma: number): Float64Array {
  const r = (size - 1) / 2;
  const taps = new Float64Array(size);
  let sum = 0;
  for (let i = 0; i < size; i++) {
    taps[i] = Math.exp(-((i - r) ** 2) / (2 * sigma * sigma));
    sum += taps[i];
  }
  for (let i = 0; i < size; i++) taps[i] /= sum;
  return taps;
}

/** `img` (h x w) filtered by the separable window at every position where it fits ("valid"). */
function filterValid(img: Float64Array, h: number, w: number, taps: Float64Array): Float64Array {
  const k = taps.length;
  const oh = h - k + 1;
  const ow = w - k + 1;
  const rows = new Float64Array(h * ow);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < ow; x++) {
      let s = 0;
      for (let t = 0; t < k; t++) s += taps[t] * img[y * w + x + t];
      rows[y * ow + x] = s;
    }
  }
  const out = new Float64Array(oh * ow);
  for (let y = 0; y < oh; y++) {
    for (let x = 0; x < ow; x++) {
      let s = 0;
      for (let t = 0; t < k; t++) s += taps[t] * rows[(y + t) * ow + x];
      out[y * ow + x] = s;
    }
  }
  return out;
}

/**
 * Mean structural similarity (Wang, Bovik, Sheikh and Simoncelli, "Image Quality Assessment: From
 * Error Visibility to Structural Similarity", IEEE TIP 13(4), 2004): at every position of an
 * 11x11 Gaussian window (sigma 1.5, normalised to sum 1; eq. 14-15) that lies inside the image,
 *   SSIM = (2 mu_x mu_y + C1)(2 sigma_xy + C2) / ((mu_x^2 + mu_y^2 + C1)(sigma_x^2 + sigma_y^2 + C2))
 * (eq. 13) with C1 = (0.01 L)^2, C2 = (0.03 L)^2 and L = 1, then the mean over positions (MSSIM,
 * eq. 17). These are the paper's constants and window, and its reference code's "valid" border
 * (no padding). In [-1, 1]; 1 only for identical maps. `a` and `b` are h x w, row-major.
 */
export function ssim(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  height: number,
  width: number,
  options: SsimOptions = {},
): number {
  checkSameLength(a, b);
  if (a.length !== height * width) {
    throw new Error(`ssim: ${a.length} values do not make a ${height}x${width} map`);
  }
  const o = { ...SSIM_DEFAULTS, ...options };
  if (height < o.window || width < o.window) {
    throw new Error(
      `ssim: a ${height}x${width} map is smaller than the ${o.window}x${o.window} window`,
    );
  }
  const taps = gaussianTaps(o.window, o.sigma);
  const n = height * width;
  const x = Float64Array.from(a);
  const y = Float64Array.from(b);
  const xx = new Float64Array(n);
  const yy = new Float64Array(n);
  const xy = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    xx[i] = x[i] * x[i];
    yy[i] = y[i] * y[i];
    xy[i] = x[i] * y[i];
  }
  const f = (img: Float64Array) => filterValid(img, height, width, taps);
  const mx = f(x);
  const my = f(y);
  const exx = f(xx);
  const eyy = f(yy);
  const exy = f(xy);
  const c1 = (o.k1 * o.dynamicRange) ** 2;
  const c2 = (o.k2 * o.dynamicRange) ** 2;
  let sum = 0;
  for (let i = 0; i < mx.length; i++) {
    const mux = mx[i];
    const muy = my[i];
    // Weighted variances and covariance (eq. 14-15): E[x^2] - mu_x^2, ...
    const vx = exx[i] - mux * mux;
    const vy = eyy[i] - muy * muy;
    const cxy = exy[i] - mux * muy;
    sum +=
      ((2 * mux * muy + c1) * (2 * cxy + c2)) / ((mux * mux + muy * muy + c1) * (vx + vy + c2));
  }
  return sum / mx.length;
}

function checkSameLength(a: ArrayLike<number>, b: ArrayLike<number>): void {
  if (a.length !== b.length) {
    throw new Error(`Maps of different sizes (${a.length} and ${b.length} values)`);
  }
  if (a.length === 0) throw new Error('Empty maps');
}
