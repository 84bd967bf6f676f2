import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { useWasmBackend } from '../testing/node.js';
import { CAM_METHODS, getCamMethod } from './registry.js';
import type { CamContext, LayerMap } from './types.js';
import { topEigenvector } from './eigencam.js';
import { groupIdenticalMasks } from './scorecam.js';
import { computeCam } from './base.js';

// Hand-made A and G: H = 2, W = 2, K = 2, stored [1, H, W, K] (position-major).
//            positions:   (0,0)      (0,1)      (1,0)      (1,1)
const A = [1, 0, 2, 1, 0, 3, 4, 2];
const G = [0.5, -1, 1, 0, -2, 2, 0.5, 1];

/**
 * A fake context over hand-made A and G. The "network" for Score-CAM scores a batch by the sum of
 * each masked input (so weights are checkable by hand); the input gradient is a fixed pattern.
 */
function ctxFor(
  a: number[],
  g: number[],
  h: number,
  w: number,
  k: number,
  counterfactual = false,
  methodOptions?: Record<string, number>,
): CamContext {
  const at = tf.tensor4d(a, [1, h, w, k]);
  const gt = tf.tensor4d(g, [1, h, w, k]);
  const neg = tf.neg(gt);
  const size = 4;
  const input = tf.tensor4d(
    Array.from({ length: size * size * 3 }, (_, i) => (i % 7) / 7),
    [1, size, size, 3],
  );
  const inGrad = tf.tensor4d(
    Array.from({ length: size * size * 3 }, (_, i) => Math.sin(i)),
    [1, size, size, 3],
  );
  const inGradNeg = tf.neg(inGrad);
  return {
    layer: 'l',
    classIndex: 0,
    counterfactual,
    inputSize: size,
    methodOptions,
    activations: async () => at,
    gradients: async () => (counterfactual ? neg : gt),
    input: () => input,
    scoreBatch: async (batch) => {
      const s = tf.sum(batch, [1, 2, 3]);
      const logits = (await s.data()) as Float32Array;
      s.dispose();
      return { logits, probabilities: logits.map(() => 0.5) };
    },
    inputGradient: async () => (counterfactual ? inGradNeg : inGrad),
  };
}

/** ReLU then divide by max, in float64: the expected output of every layer method. */
function finish(raw: number[]): number[] {
  const r = raw.map((v) => Math.max(0, v));
  const m = Math.max(...r);
  return m > 0 ? r.map((v) => v / m) : r.map(() => 0);
}

async function run(
  id: string,
  counterfactual = false,
  a = A,
  g = G,
  h = 2,
  w = 2,
  k = 2,
): Promise<LayerMap> {
  const out = await computeCam(getCamMethod(id), ctxFor(a, g, h, w, k, counterfactual));
  if (out.kind !== 'layer') throw new Error('expected a layer map');
  return out;
}

function near(actual: ArrayLike<number>, expected: number[], tol = 1e-6) {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++)
    expect(Math.abs(actual[i] - expected[i])).toBeLessThan(tol);
}

const a = (p: number, c: number) => A[p * 2 + c];
const g = (p: number, c: number) => G[p * 2 + c];
const P = [0, 1, 2, 3];

beforeAll(async () => {
  await useWasmBackend();
});

describe('layer CAM methods on hand-made tensors', () => {
  it('gradcam: weights = spatial mean of G (Selvaraju et al. eq. 1)', async () => {
    const wk = [0, 1].map((c) => P.reduce((s, p) => s + g(p, c), 0) / 4); // [0, 0.5]
    const out = await run('gradcam');
    near(out.channelWeights!, wk);
    near(out.values, finish(P.map((p) => wk[0] * a(p, 0) + wk[1] * a(p, 1))));
    expect(out.rawMax).toBeCloseTo(1.5, 6);
  });

  it('counterfactual negates G before the formula', async () => {
    const out = await run('gradcam', true);
    near(out.values, finish(P.map((p) => -0.5 * a(p, 1))));
  });

  it('gradcam++: eq. 19 without epsilon, alpha = 0 where G = 0', async () => {
    const sumA = [0, 1].map((c) => P.reduce((s, p) => s + a(p, c), 0));
    const wk = [0, 1].map((c) =>
      P.reduce((s, p) => {
        const gv = g(p, c);
        const den = 2 * gv ** 2 + sumA[c] * gv ** 3;
        const alpha = gv === 0 || den === 0 ? 0 : gv ** 2 / den;
        return s + Math.max(gv, 0) * alpha;
      }, 0),
    );
    const out = await run('gradcam++');
    near(out.channelWeights!, wk);
    near(out.values, finish(P.map((p) => wk[0] * a(p, 0) + wk[1] * a(p, 1))));
  });

  it('gradcam++ keeps tiny gradients (no epsilon swamping them)', async () => {
    const tiny = G.map((v) => v * 1e-5);
    const out = await run('gradcam++', false, A, tiny);
    expect(Math.max(...out.values)).toBeCloseTo(1, 6);
    expect(out.rawMax).toBeGreaterThan(0);
  });

  it('xgradcam: weights = sum(G A) / sum(A), 0 where sum(A) = 0', async () => {
    const wk = [0, 1].map((c) => {
      const den = P.reduce((s, p) => s + a(p, c), 0);
      return den === 0 ? 0 : P.reduce((s, p) => s + g(p, c) * a(p, c), 0) / den;
    });
    const out = await run('xgradcam');
    near(out.channelWeights!, wk);
    near(out.values, finish(P.map((p) => wk[0] * a(p, 0) + wk[1] * a(p, 1))));
    const zeroA = [0, 1, 0, 2, 0, 3, 0, 4];
    const outZero = await run('xgradcam', false, zeroA);
    expect(outZero.channelWeights![0]).toBe(0);
  });

  it('hirescam: map = sum_k G * A elementwise', async () => {
    const out = await run('hirescam');
    near(out.values, finish(P.map((p) => g(p, 0) * a(p, 0) + g(p, 1) * a(p, 1))));
  });

  it('layercam: map = sum_k ReLU(G) * A', async () => {
    const out = await run('layercam');
    near(
      out.values,
      finish(P.map((p) => Math.max(g(p, 0), 0) * a(p, 0) + Math.max(g(p, 1), 0) * a(p, 1))),
    );
  });

  it('eigencam: projection on the first principal component, sign following the channel sum', async () => {
    // 3 positions x 2 channels, rank one after centring: projection is proportional to (-1, 0, 1).
    const a3 = [0, 0, 1, 2, 2, 4];
    const out = await run(
      'eigencam',
      false,
      a3,
      a3.map(() => 0),
      3,
      1,
      2,
    );
    near(out.values, [0, 0, 1]);
    // Flipping the data's direction keeps the map aligned with the activations' sum.
    const flipped = [2, 4, 1, 2, 0, 0];
    const out2 = await run(
      'eigencam',
      false,
      flipped,
      flipped.map(() => 0),
      3,
      1,
      2,
    );
    near(out2.values, [1, 0, 0]);
    expect(getCamMethod('eigencam').supportsCounterfactual).toBe(false);
  });

  it('topEigenvector finds the dominant eigenpair', () => {
    // [[2,1],[1,2]]: eigenvalues 3 (1,1)/sqrt2 and 1.
    const { vector, value } = topEigenvector(
      Float64Array.from([2, 1, 1, 2]),
      2,
      Float64Array.from([1, 0]),
    );
    expect(value).toBeCloseTo(3, 8);
    expect(Math.abs(vector[0])).toBeCloseTo(Math.SQRT1_2, 8);
  });

  it('an all-zero map stays zero without NaN', async () => {
    const out = await run(
      'gradcam',
      false,
      A,
      G.map(() => 0),
    );
    expect(out.rawMax).toBe(0);
    expect([...out.values].every((v) => v === 0)).toBe(true);
  });
});

describe('Score-CAM and guided methods', () => {
  it('scorecam: weights = softmax over channels of the masked-input scores', async () => {
    // h = w = 2 upsampled to 4x4; the fake network scores a masked input by its sum.
    const out = await run('scorecam');
    const scores = await tf.tidy(() => {
      const at = tf.tensor4d(A, [1, 2, 2, 2]);
      const input = tf.tensor4d(
        Array.from({ length: 48 }, (_, i) => (i % 7) / 7),
        [1, 4, 4, 3],
      );
      const up = tf.image.resizeBilinear(at, [4, 4], false, true);
      return [0, 1].map((c) => {
        const m = tf.slice(up, [0, 0, 0, c], [1, 4, 4, 1]);
        const norm = tf.div(tf.sub(m, tf.min(m)), tf.sub(tf.max(m), tf.min(m)));
        return tf.sum(tf.mul(input, norm)).dataSync()[0];
      });
    });
    const e = scores.map((v) => Math.exp(v - Math.max(...scores)));
    const wk = e.map((v) => v / (e[0] + e[1]));
    near(out.channelWeights!, wk, 1e-5);
    near(out.values, finish(P.map((p) => wk[0] * a(p, 0) + wk[1] * a(p, 1))), 1e-5);
  });

  it('scorecam keeps only the highest-variance channels when asked, and reports progress', async () => {
    const progress: number[] = [];
    const ctx = ctxFor(A, G, 2, 2, 2, false, { maxChannels: 1, batchSize: 1 });
    ctx.onProgress = (f) => progress.push(f);
    const out = await computeCam(getCamMethod('scorecam'), ctx);
    if (out.kind !== 'layer') throw new Error('expected a layer map');
    // Channel 0 (values 1,2,0,4, variance 2.1875) varies more than channel 1 (0,1,3,2, variance 1.25).
    expect(out.channelWeights![0]).toBeCloseTo(1, 6);
    expect(out.channelWeights![1]).toBe(0);
    expect(progress).toEqual([1]);
  });

  it('scorecam scores identical masks once (constant channels, affine copies) with the same result', async () => {
    // Channel 1 = 2 * channel 0 + 1 (same normalised mask), channel 2 constant, channel 3 distinct.
    const base = [0, 1, 3, 2];
    const a4 = base.flatMap((v, p) => [v, 2 * v + 1, 5, [1, 0, 0, 2][p]]);
    const calls: number[] = [];
    const ctx = ctxFor(
      a4,
      a4.map(() => 0),
      2,
      2,
      4,
    );
    const score = ctx.scoreBatch;
    ctx.scoreBatch = async (batch) => {
      calls.push(batch.shape[0]);
      return score(batch);
    };
    const out = await computeCam(getCamMethod('scorecam'), ctx);
    if (out.kind !== 'layer') throw new Error('expected a layer map');
    expect(calls.reduce((x, y) => x + y, 0)).toBe(3);
    expect(out.channelWeights![0]).toBeCloseTo(out.channelWeights![1], 7);
    const groups = groupIdenticalMasks(a4, [2, 2, 4], [0, 1, 2, 3]);
    expect(groups.group).toEqual([0, 0, 1, 2]);
    expect(groups.representatives).toEqual([0, 2, 3]);
  });

  it('scorecam stops when cancelled', async () => {
    const ctx = ctxFor(A, G, 2, 2, 2, false, { batchSize: 1 });
    const controller = new AbortController();
    ctx.onProgress = () => controller.abort();
    ctx.signal = controller.signal;
    await expect(computeCam(getCamMethod('scorecam'), ctx)).rejects.toThrow(/Cancelled/);
  });

  it('guided-backprop returns the input gradient as a saliency map', async () => {
    const out = await computeCam(getCamMethod('guided-backprop'), ctxFor(A, G, 2, 2, 2));
    if (out.kind !== 'saliency') throw new Error('expected a saliency map');
    near(
      out.rgb,
      Array.from({ length: 48 }, (_, i) => Math.sin(i)),
      1e-6,
    );
    expect(Math.max(...out.magnitude)).toBeCloseTo(1, 6);
  });

  it('guided-gradcam multiplies guided gradients by the upsampled Grad-CAM map', async () => {
    const out = await computeCam(getCamMethod('guided-gradcam'), ctxFor(A, G, 2, 2, 2));
    if (out.kind !== 'saliency') throw new Error('expected a saliency map');
    const cam = (await run('gradcam')).values;
    const up = tf.tidy(() =>
      tf.image.resizeBilinear(tf.tensor4d(cam, [1, 2, 2, 1]), [4, 4], false, true).dataSync(),
    );
    near(
      out.rgb,
      Array.from({ length: 48 }, (_, i) => Math.sin(i) * up[Math.floor(i / 3)]),
      1e-5,
    );
  });
});

describe('every registered method', () => {
  it('ids are unique and known to getCamMethod', () => {
    const ids = CAM_METHODS.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(() => getCamMethod('nope')).toThrow(/Valid methods/);
  });

  for (const m of CAM_METHODS) {
    it(`${m.id}: shape, range and no tensor leak`, async () => {
      const h = 5;
      const w = 4;
      const k = 6;
      const av = Array.from({ length: h * w * k }, (_, i) => Math.abs(Math.sin(i * 1.3)) * 3);
      const gv = Array.from({ length: h * w * k }, (_, i) => Math.cos(i * 0.7));
      const ctx = ctxFor(av, gv, h, w, k);
      await computeCam(m, ctx); // warm-up
      const before = tf.memory().numTensors;
      const out = await computeCam(m, ctx);
      expect(tf.memory().numTensors).toBe(before);
      if (out.kind === 'saliency') {
        expect(out.magnitude.length).toBe(out.width * out.height);
        expect(out.rgb.length).toBe(out.width * out.height * 3);
        return;
      }
      expect([out.height, out.width]).toEqual([h, w]);
      expect(out.values.length).toBe(h * w);
      expect(Math.min(...out.values)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...out.values)).toBeCloseTo(1, 6);
    });
  }
});
