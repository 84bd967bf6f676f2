import type { Tensor1D, Tensor4D } from '@tensorflow/tfjs-core';
import type { LayerMethod } from './types.js';
import { throwIfAborted } from '../util.js';
import { countedChannels } from './options.js';

export interface ScoreCamOptions {
  /**
   * Keep only the N channels whose activations vary most over positions; 0 keeps all (the original
   * Score-CAM, as in pytorch-grad-cam, which scores every channel). Channels left out get weight 0.
   * The selection is Faster Score-CAM (github.com/tabayashi0117/Score-CAM), also tf-keras-vis's
   * `max_N`.
   */
  maxChannels: number;
  /** Masked images per forward pass. */
  batchSize: number;
}

export const DEFAULT_SCORECAM_OPTIONS: ScoreCamOptions = { maxChannels: 64, batchSize: 16 };

/**
 * Channels to score, ascending: all, or the `maxChannels` of highest spatial variance (ties: the
 * lower index first). `variance` holds one value per channel.
 */
export function selectChannels(variance: ArrayLike<number>, maxChannels: number): number[] {
  const k = variance.length;
  const all = Array.from({ length: k }, (_, i) => i);
  const n = countedChannels(maxChannels, k);
  if (n === k) return all;
  return all
    .sort((x, y) => variance[y] - variance[x] || x - y)
    .slice(0, n)
    .sort((x, y) => x - y);
}

/**
 * Groups channels whose masks are identical: the min-max normalised mask depends only on the
 * channel up to a positive affine map, so equal normalised grids give equal masks (and every
 * constant channel gives the all-zero mask). `a` is A's data, [H, W, K] row-major (`shape`).
 * Returns, per channel, the index of its group, and one channel per group.
 */
export function groupIdenticalMasks(
  a: ArrayLike<number>,
  shape: readonly [number, number, number],
  channels: number[],
): { group: number[]; representatives: number[] } {
  const [h, w, k] = shape;
  const keys = new Map<string, number>();
  const group: number[] = [];
  const representatives: number[] = [];
  const grid = new Float32Array(h * w);
  for (const c of channels) {
    let min = Infinity;
    let max = -Infinity;
    for (let p = 0; p < h * w; p++) {
      const v = a[p * k + c];
      grid[p] = v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    let key = 'constant';
    if (max > min) {
      for (let p = 0; p < h * w; p++) grid[p] = (grid[p] - min) / (max - min);
      key = Array.from(grid).join(',');
    }
    let g = keys.get(key);
    if (g === undefined) {
      g = representatives.length;
      keys.set(key, g);
      representatives.push(c);
    }
    group.push(g);
  }
  return { group, representatives };
}

/**
 * Score-CAM (Wang et al., CVPR Workshops 2020): each channel, upsampled to the input and min-max
 * normalised (eq. 7-8), masks the input; the map is ReLU(sum_k alpha_k A_k) (eq. 9-10). The weights
 * follow Algorithm 1 (section 3.2): S_k = f^c(X o H_k) - f^c(X_b), with f^c the class logit, then a
 * softmax over channels. f^c(X_b) is the same for every channel and cancels in that softmax, so
 * alpha = softmax_k f^c(X o H_k) is Algorithm 1 exactly, without the baseline's forward pass. (The
 * authors' released code differs: it weights each channel by the softmax probability of the class.)
 * Gradient-free: one forward pass per channel, batched, with progress and cancel.
 */
export const scorecam: LayerMethod = {
  id: 'scorecam',
  name: 'Score-CAM',
  summary: 'Masks the image with each channel and measures the class score: no gradients, slow.',
  citation: 'Wang et al., "Score-CAM", CVPR Workshops 2020, eq. 9-10 and Algorithm 1',
  kind: 'gradient-free',
  supportsCounterfactual: false,
  options: [
    {
      id: 'maxChannels',
      label: 'Channels scored',
      help:
        'Score-CAM runs the network once per scored channel. Scoring only the channels whose ' +
        'activations vary most over the image (Faster Score-CAM) is much quicker; the others get ' +
        'weight 0. More channels: slower, closer to the full method. All channels is the original ' +
        'Score-CAM (Wang et al. 2020).',
      default: DEFAULT_SCORECAM_OPTIONS.maxChannels,
      kind: 'channels',
      presets: [16, DEFAULT_SCORECAM_OPTIONS.maxChannels, 256],
      notes: {
        [DEFAULT_SCORECAM_OPTIONS.maxChannels]: 'default, Faster Score-CAM',
        0: 'original Score-CAM',
      },
    },
    {
      id: 'batchSize',
      label: 'Masked images per forward pass',
      help: 'Speed only: how many masked images go through the network at once.',
      default: DEFAULT_SCORECAM_OPTIONS.batchSize,
      kind: 'tuning',
    },
  ],

  async weightsAsync(tf, ctx, a): Promise<Tensor1D> {
    const [, h, w, k] = a.shape;
    const size = ctx.inputShape ?? [ctx.inputSize, ctx.inputSize];
    const opts = { ...DEFAULT_SCORECAM_OPTIONS, ...ctx.methodOptions };
    // Channel variances only when some channels are left out.
    const variance =
      countedChannels(opts.maxChannels, k) < k
        ? tf.tidy(() => tf.moments(a, [0, 1, 2]).variance.dataSync())
        : new Float32Array(k);
    const channels = selectChannels(variance, opts.maxChannels);
    // Identical masks give identical scores: score each distinct mask once.
    const { group, representatives } = groupIdenticalMasks(a.dataSync(), [h, w, k], channels);
    const unique = new Float32Array(representatives.length);
    const input = ctx.input();
    const report = ctx.onProgress;
    for (let start = 0; start < representatives.length; start += opts.batchSize) {
      throwIfAborted(ctx.signal);
      const idx = representatives.slice(start, start + opts.batchSize);
      const batch = tf.tidy(() => {
        const picked = tf.gather(a, idx, 3); // [1, h, w, n]
        const up = tf.image.resizeBilinear(picked, [size[0], size[1]], false, true);
        const masks = tf.transpose(up, [3, 1, 2, 0]); // [n, S, S, 1]
        const min = tf.min(masks, [1, 2, 3], true);
        const max = tf.max(masks, [1, 2, 3], true);
        const range = tf.sub(max, min);
        // A constant channel carries no location: x - min is 0 everywhere, so its mask is all zero.
        // (The divisor is chosen per channel, [n, 1, 1, 1]: a full-size where() costs more than
        // the forward pass on wasm, which broadcasts it by tiling.)
        const safe = tf.where(tf.greater(range, 0), range, tf.onesLike(range));
        const norm = tf.div(tf.sub(masks, min), safe);
        return tf.mul(input, norm) as Tensor4D;
      });
      try {
        const { logits } = await ctx.scoreBatch(batch);
        unique.set(logits, start);
      } finally {
        batch.dispose();
      }
      report?.(Math.min(1, (start + idx.length) / representatives.length));
    }
    const scores = Float32Array.from(group, (g) => unique[g]);
    return tf.tidy(() => {
      const soft = tf.softmax(tf.tensor1d(scores));
      // Scatter the selected channels' weights into a K-vector (others 0).
      return tf.reshape(
        tf.scatterND(tf.tensor2d(channels, [channels.length, 1], 'int32'), soft, [k]),
        [k],
      ) as Tensor1D;
    });
  },
};

export default scorecam;
