import * as tf from '@tensorflow/tfjs-core';
import type { NetworkProfile } from '../network.js';
import type { CamOutput } from '../cams/types.js';
import { preprocess } from '../image/preprocess.js';
import { upsampleBilinear } from '../render/upsample.js';
import { throwIfAborted, type AbortSignalLike } from '../util.js';

/** What the metrics need from an analysis (an `Analysis` fits; tests can fake it). */
export interface Scorable {
  readonly input: tf.Tensor4D;
  readonly explainer: {
    readonly profile: Pick<
      NetworkProfile,
      'inputHeight' | 'inputWidth' | 'channels' | 'preprocessing'
    >;
  };
  score(
    batch: tf.Tensor4D,
    classIndex: number,
    signal?: AbortSignalLike,
  ): Promise<{ logits: Float32Array; probabilities: Float32Array }>;
}

export type Baseline = 'blur' | 'black';

export interface Curve {
  /** Fraction of pixels removed (deletion) or revealed (insertion), 0..1. */
  fractions: number[];
  /** Target-class probability at each fraction. */
  probabilities: number[];
  /**
   * Target-class logit at each fraction. The probability saturates near 0 and 1 and can rise only
   * because other classes' logits fall; the logit shows what happened to the class's own score.
   */
  logits: number[];
  /** Area under the curve (trapezoid rule over fractions). */
  auc: number;
}

export interface Faithfulness {
  baseline: Baseline;
  steps: number;
  /** Petsiuk et al. 2018 (RISE), section 4.1: lower deletion AUC = more faithful map. */
  deletion: Curve;
  /** Higher insertion AUC = more faithful map. */
  insertion: Curve;
  /**
   * Input multiplied by the map, as pytorch-grad-cam's CamMultImageConfidenceChange: probability
   * before and after, their difference, the "average drop" (Chattopadhay et al. 2018, eq. 9:
   * max(0, before - after) / before, in %) and whether confidence increased.
   */
  confidence: {
    before: number;
    after: number;
    change: number;
    averageDrop: number;
    increase: boolean;
  };
}

export interface FaithfulnessOptions {
  classIndex: number;
  /** Number of steps (the curves have steps + 1 points). Default 20. */
  steps?: number;
  /** What removed pixels become: a blurred copy of the image (default) or black. */
  baseline?: Baseline;
  batchSize?: number;
  signal?: AbortSignalLike;
  onProgress?: (fraction: number) => void;
}

/** Importance per model-input pixel (H x W), from a layer map (upsampled) or a saliency map. */
export function importanceAtInput(output: CamOutput, size: number, width = size): Float32Array {
  const values = output.kind === 'layer' ? output.values : output.magnitude;
  return upsampleBilinear(values, output.height, output.width, size, width);
}

/** Gaussian blur (RISE's insertion baseline: 11x11 kernel, sigma 5), reflect-padded at the edges. */
export function gaussianBlur(x: tf.Tensor4D, size = 11, sigma = 5): tf.Tensor4D {
  return tf.tidy(() => {
    const r = (size - 1) / 2;
    const g = Array.from({ length: size }, (_, i) =>
      Math.exp(-((i - r) ** 2) / (2 * sigma * sigma)),
    );
    const sum = g.reduce((s, v) => s + v, 0);
    const k1 = g.map((v) => v / sum);
    const c = x.shape[3];
    const kx = tf.tile(tf.reshape(tf.tensor1d(k1), [1, size, 1, 1]), [1, 1, c, 1]) as tf.Tensor4D;
    const ky = tf.tile(tf.reshape(tf.tensor1d(k1), [size, 1, 1, 1]), [1, 1, c, 1]) as tf.Tensor4D;
    const padded = tf.mirrorPad(
      x,
      [
        [0, 0],
        [r, r],
        [r, r],
        [0, 0],
      ],
      'reflect',
    );
    return tf.depthwiseConv2d(tf.depthwiseConv2d(padded, kx, 1, 'valid'), ky, 1, 'valid');
  });
}

function trapezoid(xs: number[], ys: number[]): number {
  let a = 0;
  for (let i = 1; i < xs.length; i++) a += ((xs[i] - xs[i - 1]) * (ys[i] + ys[i - 1])) / 2;
  return a;
}

/**
 * Deletion and insertion curves (Petsiuk et al. 2018, "RISE", section 4.1) and the confidence
 * change of the map-multiplied input, for one explanation. All images are batched forward passes.
 */
export async function faithfulness(
  analysis: Scorable,
  output: CamOutput,
  options: FaithfulnessOptions,
): Promise<Faithfulness> {
  const steps = options.steps ?? 20;
  const baselineKind = options.baseline ?? 'blur';
  const batchSize = options.batchSize ?? 7;
  const { inputHeight: h, inputWidth: w, channels, preprocessing } = analysis.explainer.profile;
  const n = h * w;
  const importance = importanceAtInput(output, h, w);
  // Rank of each pixel, most important first (ties: lower index first, deterministic).
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => importance[b] - importance[a] || a - b,
  );
  const rank = new Float32Array(n);
  order.forEach((p, r) => (rank[p] = r));
  const fractions = Array.from({ length: steps + 1 }, (_, i) => i / steps);
  const counts = fractions.map((f) => Math.round(f * n));
  const input = analysis.input;
  const black = preprocess(
    { width: 1, height: 1, data: new Uint8ClampedArray([0, 0, 0, 255]) },
    preprocessing,
    channels,
  );
  const baseline =
    baselineKind === 'blur'
      ? gaussianBlur(input)
      : tf.tidy(
          () => tf.mul(tf.onesLike(input), tf.tensor4d(black, [1, 1, 1, channels])) as tf.Tensor4D,
        );
  const rankT = tf.tensor4d(rank, [1, h, w, 1]);
  const total = 2 * (steps + 1) + 1;
  let done = 0;
  const scoreAll = async (
    make: (i: number) => tf.Tensor4D,
    count: number,
  ): Promise<{ p: number[]; l: number[] }> => {
    const out = { p: [] as number[], l: [] as number[] };
    for (let start = 0; start < count; start += batchSize) {
      throwIfAborted(options.signal);
      const idx = Array.from({ length: Math.min(batchSize, count - start) }, (_, j) => start + j);
      const batch = tf.tidy(() => tf.concat(idx.map((i) => make(i))) as tf.Tensor4D);
      try {
        const { probabilities, logits } = await analysis.score(
          batch,
          options.classIndex,
          options.signal,
        );
        out.p.push(...probabilities);
        out.l.push(...logits);
      } finally {
        batch.dispose();
      }
      done += idx.length;
      options.onProgress?.(done / total);
    }
    return out;
  };
  try {
    // Deletion: the `counts[i]` most important pixels become the baseline.
    const del = await scoreAll(
      (i) => tf.where(tf.less(rankT, counts[i]), baseline, input) as tf.Tensor4D,
      steps + 1,
    );
    // Insertion: start from the baseline and reveal the most important pixels.
    const ins = await scoreAll(
      (i) => tf.where(tf.less(rankT, counts[i]), input, baseline) as tf.Tensor4D,
      steps + 1,
    );
    const mult = await scoreAll(
      () => tf.mul(input, tf.tensor4d(importance, [1, h, w, 1])) as tf.Tensor4D,
      1,
    );
    const before = del.p[0];
    const after = mult.p[0];
    return {
      baseline: baselineKind,
      steps,
      deletion: {
        fractions,
        probabilities: del.p,
        logits: del.l,
        auc: trapezoid(fractions, del.p),
      },
      insertion: {
        fractions,
        probabilities: ins.p,
        logits: ins.l,
        auc: trapezoid(fractions, ins.p),
      },
      confidence: {
        before,
        after,
        change: after - before,
        averageDrop: before > 0 ? (Math.max(0, before - after) / before) * 100 : 0,
        increase: after > before,
      },
    };
  } finally {
    baseline.dispose();
    rankT.dispose();
  }
}
