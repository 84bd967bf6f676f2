// The anatomy of a layer map, for the page's "How was this computed?": every layer method written
// as one sum over channels, raw(p) = sum_k W(p, k) T(p, k), before the ReLU and the division by the
// maximum. Plain arrays, no TensorFlow.js: the page computes a channel's maps and a cell's
// contributions on its main thread, instantly, from the activations and gradients the worker sends.
//
//   weighting    W(p, k)                                  T(p, k)               methods
//   'channel'    alpha_k, the same at every position      A(p, k)               Grad-CAM, Grad-CAM++,
//                                                                               XGrad-CAM, Score-CAM
//   'position'   a weight per position: G or ReLU(G)      A(p, k)               HiResCAM, LayerCAM
//   'component'  v_k, the first principal component      A(p, k) - mean_p A    Eigen-CAM
//
// Arrays are position-major, as TensorFlow.js stores [1, H, W, K]: value (p, k) at p * K + k, with
// p = row * W + column, top row first.

export type Weighting = 'channel' | 'position' | 'component';

/** What the anatomy is computed from (the worker's copies of the explanation's tensors). */
export interface AnatomyData {
  /** The method's id (CAM registry). */
  method: string;
  /** [H, W, K] of the layer. */
  shape: readonly [number, number, number];
  /** A: the layer's activations, H * W * K, position-major. */
  activations: Float32Array;
  /** G = dy^c/dA as the method used it (negated for a counterfactual); gradient methods only. */
  gradients?: Float32Array;
  /** The explanation's channel weights, for methods that have them (exactly what the map used). */
  channelWeights?: Float32Array;
  /** Eigen-CAM: the first principal component v (K values), signed as in the map. */
  component?: Float32Array;
}

/** How each layer method weights the channels (unknown methods: 'channel' when they have weights). */
interface MethodAnatomy {
  weighting: Weighting;
  /** 'position': W(p, k) from the gradient at (p, k). */
  positionWeight?: (g: number) => number;
  /**
   * 'channel' methods computed from gradients: the per-position terms whose sum over positions is
   * alpha_k (channel k's values, H * W).
   */
  alphaTerms?: (d: AnatomyData, k: number) => Float32Array;
}

/** Channel k's values of a position-major array, as an H x W map. */
export function channelOf(
  values: Float32Array,
  shape: readonly [number, number, number],
  k: number,
): Float32Array {
  const [h, w, kk] = shape;
  const out = new Float32Array(h * w);
  for (let p = 0; p < h * w; p++) out[p] = values[p * kk + k];
  return out;
}

const channelSum = (d: AnatomyData, k: number) => {
  const a = channelOf(d.activations, d.shape, k);
  let s = 0;
  for (const v of a) s += v;
  return { a, s };
};

/** Grad-CAM (Selvaraju et al., IJCV 2020, eq. 1): alpha_k = sum_p G(p, k) / Z. */
function gradcamTerms(d: AnatomyData, k: number): Float32Array {
  const g = channelOf(d.gradients!, d.shape, k);
  return g.map((v) => v / g.length);
}

/** Grad-CAM++ (Chattopadhay et al. 2018, eq. 19): alpha_k = sum_p a_p ReLU(G_p), no epsilon. */
function gradcamPlusPlusTerms(d: AnatomyData, k: number): Float32Array {
  const g = channelOf(d.gradients!, d.shape, k);
  const { s } = channelSum(d, k);
  return g.map((gv) => {
    const den = 2 * gv * gv + s * gv * gv * gv;
    const a = gv === 0 || den === 0 ? 0 : (gv * gv) / den;
    return Math.max(gv, 0) * a;
  });
}

/** XGrad-CAM (Fu et al. 2020, eq. 9): alpha_k = sum_p G(p, k) A(p, k) / S_k, 0 where S_k = 0. */
function xgradcamTerms(d: AnatomyData, k: number): Float32Array {
  const g = channelOf(d.gradients!, d.shape, k);
  const { a, s } = channelSum(d, k);
  return g.map((gv, p) => (s === 0 ? 0 : (gv * a[p]) / s));
}

/** Grad-CAM++'s per-position coefficients a^{kc}_ij (eq. 19) for channel k, 0 where undefined. */
export function gradcamPlusPlusCoefficients(d: AnatomyData, k: number): Float32Array {
  const g = channelOf(d.gradients!, d.shape, k);
  const { s } = channelSum(d, k);
  return g.map((gv) => {
    const den = 2 * gv * gv + s * gv * gv * gv;
    return gv === 0 || den === 0 ? 0 : (gv * gv) / den;
  });
}

export const METHOD_ANATOMY: Readonly<Record<string, MethodAnatomy>> = {
  gradcam: { weighting: 'channel', alphaTerms: gradcamTerms },
  'gradcam++': { weighting: 'channel', alphaTerms: gradcamPlusPlusTerms },
  xgradcam: { weighting: 'channel', alphaTerms: xgradcamTerms },
  scorecam: { weighting: 'channel' },
  hirescam: { weighting: 'position', positionWeight: (g) => g },
  layercam: { weighting: 'position', positionWeight: (g) => Math.max(g, 0) },
  eigencam: { weighting: 'component' },
};

/** The map of one method taken apart: weights, terms and their sum before the ReLU. */
export interface Anatomy {
  data: AnatomyData;
  weighting: Weighting;
  /** Per channel: alpha_k ('channel'), the mean over positions of W ('position'), v_k ('component'). */
  weights: Float32Array;
  /** raw(p) = sum_k W(p, k) T(p, k): the map before ReLU and normalisation (H * W). */
  raw: Float32Array;
  /**
   * Per channel: its share of the map, sum over the positions where raw > 0 of W T, divided by the
   * sum of raw there (the shares add up to 1; a negative share lowers the map). When no position
   * is positive, the mean of W T over all positions instead.
   */
  shares: Float32Array;
  /** True when `shares` are shares of the map (some position positive), false for plain means. */
  sharesOfMap: boolean;
  /** 'component': the per-channel means subtracted from A. */
  means?: Float32Array;
}

/** W(p, k). */
export function weightAt(an: Anatomy, p: number, k: number): number {
  const d = an.data;
  const kk = d.shape[2];
  if (an.weighting === 'position') {
    return METHOD_ANATOMY[d.method].positionWeight!(d.gradients![p * kk + k]);
  }
  return an.weights[k];
}

/** Per channel, the mean of A over positions. */
function channelMeans(d: AnatomyData): Float32Array {
  const [h, w, k] = d.shape;
  const means = new Float32Array(k);
  const n = h * w;
  for (let p = 0; p < n; p++) for (let c = 0; c < k; c++) means[c] += d.activations[p * k + c];
  for (let c = 0; c < k; c++) means[c] /= n;
  return means;
}

/**
 * The anatomy of a layer map, or null when the method has no such form here (pixel-level methods,
 * or data missing: gradients for a gradient-weighted method, the component for Eigen-CAM).
 */
export function anatomyOf(d: AnatomyData): Anatomy | null {
  const [h, w, k] = d.shape;
  const n = h * w;
  if (d.activations.length !== n * k) return null;
  const known = METHOD_ANATOMY[d.method];
  const weighting: Weighting | null = known ? known.weighting : d.channelWeights ? 'channel' : null;
  if (!weighting) return null;
  let weights: Float32Array;
  let means: Float32Array | null = null;
  if (weighting === 'channel') {
    if (!d.channelWeights || d.channelWeights.length !== k) return null;
    weights = Float32Array.from(d.channelWeights);
  } else if (weighting === 'position') {
    if (!d.gradients || d.gradients.length !== n * k) return null;
    const f = known!.positionWeight!;
    weights = new Float32Array(k);
    for (let p = 0; p < n; p++) for (let c = 0; c < k; c++) weights[c] += f(d.gradients[p * k + c]);
    for (let c = 0; c < k; c++) weights[c] /= n;
  } else {
    if (!d.component || d.component.length !== k) return null;
    weights = Float32Array.from(d.component);
    means = channelMeans(d);
  }
  const an: Anatomy = {
    data: d,
    weighting,
    weights,
    raw: new Float32Array(n),
    shares: new Float32Array(k),
    sharesOfMap: false,
    means: means ?? undefined,
  };
  // One pass for raw(p) in float64, then the shares over the positive positions.
  const term = (p: number, c: number) =>
    means ? d.activations[p * k + c] - means[c] : d.activations[p * k + c];
  for (let p = 0; p < n; p++) {
    let s = 0;
    for (let c = 0; c < k; c++) s += weightAt(an, p, c) * term(p, c);
    an.raw[p] = s;
  }
  let total = 0;
  for (let p = 0; p < n; p++) if (an.raw[p] > 0) total += an.raw[p];
  an.sharesOfMap = total > 0;
  const acc = new Float64Array(k);
  for (let p = 0; p < n; p++) {
    if (an.sharesOfMap && !(an.raw[p] > 0)) continue;
    for (let c = 0; c < k; c++) acc[c] += weightAt(an, p, c) * term(p, c);
  }
  for (let c = 0; c < k; c++) an.shares[c] = an.sharesOfMap ? acc[c] / total : acc[c] / n;
  return an;
}

/** T(p, k): A(p, k), centred per channel for 'component'. */
export function termAt(an: Anatomy, p: number, k: number): number {
  const d = an.data;
  const kk = d.shape[2];
  const v = d.activations[p * kk + k];
  return an.means ? v - an.means[k] : v;
}

/** Everything about one channel, as H x W maps. */
export interface ChannelDetail {
  channel: number;
  /** A_k. */
  activation: Float32Array;
  /** G_k = dy^c/dA_k as the method used it; gradient methods only. */
  gradient?: Float32Array;
  /** W(., k) at every position ('position' methods: G or ReLU(G)). */
  positionWeights?: Float32Array;
  /** The per-position terms that add up to alpha_k (Grad-CAM, Grad-CAM++, XGrad-CAM). */
  alphaTerms?: Float32Array;
  /** Grad-CAM++: its per-position coefficients a^{kc}_ij. */
  coefficients?: Float32Array;
  /** The channel's weight: alpha_k, the mean of W, or v_k. */
  weight: number;
  /** W T at every position: the channel's term of the weighted sum. */
  contribution: Float32Array;
  /** The channel's share of the map (see `Anatomy.shares`). */
  share: number;
}

export function channelDetail(an: Anatomy, k: number): ChannelDetail {
  const d = an.data;
  const [h, w] = d.shape;
  const n = h * w;
  const activation = channelOf(d.activations, d.shape, k);
  const contribution = new Float32Array(n);
  for (let p = 0; p < n; p++) contribution[p] = weightAt(an, p, k) * termAt(an, p, k);
  const out: ChannelDetail = {
    channel: k,
    activation,
    weight: an.weights[k],
    contribution,
    share: an.shares[k],
  };
  if (d.gradients) out.gradient = channelOf(d.gradients, d.shape, k);
  if (an.weighting === 'position') {
    out.positionWeights = new Float32Array(n);
    for (let p = 0; p < n; p++) out.positionWeights[p] = weightAt(an, p, k);
  }
  const terms = METHOD_ANATOMY[d.method]?.alphaTerms;
  if (terms && d.gradients) out.alphaTerms = terms(d, k);
  if (d.method === 'gradcam++' && d.gradients) out.coefficients = gradcamPlusPlusCoefficients(d, k);
  return out;
}

/** One channel's term at one position. */
export interface CellTerm {
  channel: number;
  /** W(p, k). */
  weight: number;
  /** T(p, k): A(p, k), or its centred value ('component'). */
  term: number;
  /** W(p, k) T(p, k). */
  value: number;
}

export interface CellContributions {
  /** Position index, row * W + column. */
  position: number;
  /** raw(p): the sum of every channel's term, before ReLU. */
  raw: number;
  /** The largest positive terms, largest first. */
  positive: CellTerm[];
  /** The most negative terms, most negative first. */
  negative: CellTerm[];
  /** Sums of all positive and of all negative terms (raw = positiveSum + negativeSum). */
  positiveSum: number;
  negativeSum: number;
}

/** The channels that add most to, and take most from, the weighted sum at position `p`. */
export function cellContributions(an: Anatomy, p: number, top = 5): CellContributions {
  const k = an.data.shape[2];
  const terms: CellTerm[] = [];
  let positiveSum = 0;
  let negativeSum = 0;
  for (let c = 0; c < k; c++) {
    const weight = weightAt(an, p, c);
    const term = termAt(an, p, c);
    const value = weight * term;
    if (value > 0) positiveSum += value;
    else negativeSum += value;
    if (value !== 0) terms.push({ channel: c, weight, term, value });
  }
  const positive = terms
    .filter((t) => t.value > 0)
    .sort((a, b) => b.value - a.value)
    .slice(0, top);
  const negative = terms
    .filter((t) => t.value < 0)
    .sort((a, b) => a.value - b.value)
    .slice(0, top);
  return { position: p, raw: an.raw[p], positive, negative, positiveSum, negativeSum };
}

/**
 * The channels to show: the `positive` largest shares of the map, then the `negative` most
 * negative ones (fewer when there are not so many of either sign).
 */
export function rankedChannels(an: Anatomy, positive = 8, negative = 4): number[] {
  const idx = Array.from(an.shares.keys());
  const up = idx
    .filter((c) => an.shares[c] > 0)
    .sort((a, b) => an.shares[b] - an.shares[a])
    .slice(0, positive);
  const down = idx
    .filter((c) => an.shares[c] < 0)
    .sort((a, b) => an.shares[a] - an.shares[b])
    .slice(0, negative);
  return [...up, ...down];
}

/** Smallest and largest value of an array (0, 0 when empty). */
export function extent(values: ArrayLike<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    if (values[i] < lo) lo = values[i];
    if (values[i] > hi) hi = values[i];
  }
  return values.length ? [lo, hi] : [0, 0];
}
