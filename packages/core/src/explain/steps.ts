// The intermediate quantities behind a map, for "How was this computed?" (page) and `explain --json`
// (CLI): activations, channel weights, the weighted sum before ReLU, the channels that build it.
import * as tf from '@tensorflow/tfjs-core';
import type { CamOutput } from '../cams/types.js';

/** One channel's part in sum_k alpha_k A_k. */
export interface ChannelContribution {
  /** Channel index k. */
  index: number;
  /** Its weight alpha_k. */
  weight: number;
  /** Mean of A_k over positions. */
  mean: number;
  /** alpha_k * mean(A_k): the channel's share of the weighted sum's mean. */
  contribution: number;
  /** A_k, H x W, row-major, top row first. */
  map: Float32Array;
  /** Maximum of A_k (0 when no value is positive). */
  max: number;
}

/** What the map was computed from, step by step. Arrays are copies, owned by the caller. */
export interface ComputationSteps {
  /** Activations A at the layer: [H, W, K]. */
  activationShape: [number, number, number];
  /** Channel weights alpha_k, when the method has them. */
  channelWeights?: Float32Array;
  /** The channels with the largest alpha_k * mean(A_k) and their activation maps (H x W each). */
  topChannels?: ChannelContribution[];
  /** sum_k alpha_k A_k before ReLU and normalisation (H x W), when the method has weights. */
  rawMap?: Float32Array;
  rawMin?: number;
  rawMaxSigned?: number;
}

/** Channels listed in `topChannels` by default (the page shows six thumbnails). */
export const TOP_CHANNELS = 6;

/**
 * The steps behind `output`, computed at the layer whose activations are `activations` [1, H, W, K].
 * Channel weights, the weighted sum and the top channels only when the method has channel weights
 * for this layer; the activation shape always (saliency methods included).
 */
export function computationSteps(
  activations: tf.Tensor4D,
  output: CamOutput,
  top = TOP_CHANNELS,
): ComputationSteps {
  const [, h, w, k] = activations.shape;
  const steps: ComputationSteps = { activationShape: [h, w, k] };
  if (output.kind !== 'layer') return steps;
  const o = output;
  if (!o.channelWeights || o.channelWeights.length !== k || o.width !== w || o.height !== h) {
    return steps;
  }
  const weights = Float32Array.from(o.channelWeights);
  steps.channelWeights = weights;
  // sum_k alpha_k A_k before ReLU (Selvaraju et al., IJCV 2020, eq. 2 without the ReLU).
  const raw = tf.tidy(() => tf.sum(tf.mul(activations, tf.tensor1d(weights)), 3).dataSync());
  steps.rawMap = Float32Array.from(raw);
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of steps.rawMap) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  steps.rawMin = lo;
  steps.rawMaxSigned = hi;
  // The channels that build the map: largest alpha_k * mean(A_k), i.e. largest share of the
  // weighted sum (a large weight on a silent channel contributes nothing).
  const means = tf.tidy(() => tf.mean(activations, [0, 1, 2]).dataSync() as Float32Array);
  const share = (c: number) => weights[c] * means[c];
  const best = Array.from(weights.keys())
    .sort((x, y) => share(y) - share(x))
    .slice(0, top);
  const maps = tf.tidy(() => tf.gather(activations, best, 3).dataSync() as Float32Array);
  steps.topChannels = best.map((c, j) => {
    const map = new Float32Array(h * w);
    let max = 0;
    for (let p = 0; p < h * w; p++) {
      map[p] = maps[p * best.length + j];
      if (map[p] > max) max = map[p];
    }
    return { index: c, weight: weights[c], mean: means[c], contribution: share(c), map, max };
  });
  return steps;
}
