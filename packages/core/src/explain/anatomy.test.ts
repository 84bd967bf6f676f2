import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { useWasmBackend } from '../testing/node.js';
import { computeCam } from '../cams/base.js';
import { eigenComponent } from '../cams/eigencam.js';
import { getCamMethod } from '../cams/registry.js';
import type { CamContext, LayerMap } from '../cams/types.js';
import {
  anatomyOf,
  cellContributions,
  channelDetail,
  channelOf,
  extent,
  rankedChannels,
  type AnatomyData,
} from './anatomy.js';

// H = 3, W = 2, K = 4: activations >= 0 with some zeros (as after a ReLU), signed gradients.
const SHAPE = [3, 2, 4] as const;
const N = SHAPE[0] * SHAPE[1] * SHAPE[2];
const rand = (seed: number) => () => {
  seed = (seed * 16807) % 2147483647;
  return seed / 2147483647;
};
const r1 = rand(7);
const A = Array.from({ length: N }, (_, i) => (i % 5 === 3 ? 0 : 3 * r1()));
const r2 = rand(11);
const G = Array.from({ length: N }, () => r2() - 0.3);

function ctx(counterfactual = false): CamContext {
  const a = tf.tensor4d(A, [1, ...SHAPE]);
  const g = tf.tensor4d(G, [1, ...SHAPE]);
  return {
    layer: 'l',
    classIndex: 0,
    counterfactual,
    inputSize: 4,
    activations: async () => a,
    gradients: async () => (counterfactual ? tf.neg(g) : g) as tf.Tensor4D,
    input: () => tf.ones([1, 4, 4, 3]),
    // Score-CAM's "network": the class logit of a masked input is its sum.
    scoreBatch: async (batch) => {
      const s = tf.sum(batch, [1, 2, 3]);
      const logits = (await s.data()) as Float32Array;
      return { logits, probabilities: logits.map(() => 0.5) };
    },
    inputGradient: async () => tf.zeros([1, 4, 4, 3]),
  };
}

async function explainWith(id: string, counterfactual = false): Promise<AnatomyData> {
  const out = (await computeCam(getCamMethod(id), ctx(counterfactual))) as LayerMap;
  const data: AnatomyData = {
    method: id,
    shape: SHAPE,
    activations: Float32Array.from(A),
    gradients:
      getCamMethod(id).kind === 'gradient'
        ? Float32Array.from(G, (v) => (counterfactual ? -v : v))
        : undefined,
    channelWeights: out.channelWeights,
  };
  if (id === 'eigencam') {
    const a = tf.tensor4d(A, [1, ...SHAPE]);
    data.component = Float32Array.from(eigenComponent(tf, a).component);
    a.dispose();
  }
  lastMap = out;
  return data;
}
let lastMap: LayerMap;

const LAYER_METHODS = [
  'gradcam',
  'gradcam++',
  'xgradcam',
  'hirescam',
  'layercam',
  'eigencam',
  'scorecam',
];

beforeAll(async () => {
  await useWasmBackend();
});

describe('anatomyOf', () => {
  it.each(
    LAYER_METHODS.flatMap(
      (m) =>
        [
          [m, false],
          [m, true],
        ] as const,
    ).filter(([m, cf]) => !cf || getCamMethod(m).supportsCounterfactual),
  )('%s (counterfactual %s): ReLU of the sum over channels is the method’s map', async (id, cf) => {
    const an = anatomyOf(await explainWith(id, cf))!;
    expect(an).not.toBeNull();
    const [, hi] = extent(an.raw);
    expect(Math.max(0, hi)).toBeCloseTo(lastMap.rawMax, 5);
    for (let p = 0; p < an.raw.length; p++) {
      const expected = hi > 0 ? Math.max(0, an.raw[p]) / hi : 0;
      expect(lastMap.values[p]).toBeCloseTo(expected, 5);
    }
  });

  it('names how each method weights its channels', async () => {
    const kinds = await Promise.all(
      LAYER_METHODS.map(async (id) => [id, anatomyOf(await explainWith(id))!.weighting]),
    );
    expect(Object.fromEntries(kinds)).toEqual({
      gradcam: 'channel',
      'gradcam++': 'channel',
      xgradcam: 'channel',
      scorecam: 'channel',
      hirescam: 'position',
      layercam: 'position',
      eigencam: 'component',
    });
  });

  it('gives up without the data a method needs', async () => {
    const d = await explainWith('hirescam');
    expect(anatomyOf({ ...d, gradients: undefined })).toBeNull();
    expect(anatomyOf({ ...(await explainWith('gradcam')), channelWeights: undefined })).toBeNull();
    expect(anatomyOf({ ...(await explainWith('eigencam')), component: undefined })).toBeNull();
    expect(
      anatomyOf({ method: 'guided-backprop', shape: SHAPE, activations: Float32Array.from(A) }),
    ).toBeNull();
    // A method this file does not know, with channel weights: taken as a weighted sum.
    const future = anatomyOf({ ...(await explainWith('gradcam')), method: 'future-cam' })!;
    expect(future.weighting).toBe('channel');
  });

  it('gives shares of the map that add up to 1', async () => {
    const an = anatomyOf(await explainWith('gradcam'))!;
    expect(an.sharesOfMap).toBe(true);
    expect(an.shares.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 5);
  });
});

describe('channelDetail', () => {
  it.each(['gradcam', 'gradcam++', 'xgradcam'])(
    '%s: the per-position terms add up to the channel weight',
    async (id) => {
      const an = anatomyOf(await explainWith(id))!;
      for (let k = 0; k < SHAPE[2]; k++) {
        const d = channelDetail(an, k);
        expect(d.alphaTerms!.reduce((s, v) => s + v, 0)).toBeCloseTo(an.weights[k], 5);
        expect(Array.from(d.activation)).toEqual(
          Array.from(channelOf(Float32Array.from(A), SHAPE, k)),
        );
        // Its contribution is alpha_k A_k.
        d.contribution.forEach((v, p) => expect(v).toBeCloseTo(an.weights[k] * d.activation[p], 6));
      }
    },
  );

  it('Grad-CAM: alpha_k is the mean of the gradient map', async () => {
    const an = anatomyOf(await explainWith('gradcam'))!;
    const d = channelDetail(an, 2);
    const mean = d.gradient!.reduce((s, v) => s + v, 0) / d.gradient!.length;
    expect(d.weight).toBeCloseTo(mean, 6);
  });

  it('LayerCAM: per-position weights are the positive gradients; HiResCAM: the gradients', async () => {
    const layer = channelDetail(anatomyOf(await explainWith('layercam'))!, 1);
    layer.positionWeights!.forEach((v, p) =>
      expect(v).toBeCloseTo(Math.max(0, layer.gradient![p]), 6),
    );
    const hires = channelDetail(anatomyOf(await explainWith('hirescam'))!, 1);
    hires.positionWeights!.forEach((v, p) => expect(v).toBeCloseTo(hires.gradient![p], 6));
  });

  it('Grad-CAM++: coefficients times the positive gradient are its terms', async () => {
    const d = channelDetail(anatomyOf(await explainWith('gradcam++'))!, 0);
    d.alphaTerms!.forEach((t, p) =>
      expect(t).toBeCloseTo(d.coefficients![p] * Math.max(0, d.gradient![p]), 6),
    );
  });
});

describe('cellContributions', () => {
  it.each(['gradcam', 'layercam', 'eigencam'])(
    '%s: a cell’s positive and negative terms add up to the weighted sum there',
    async (id) => {
      const an = anatomyOf(await explainWith(id))!;
      for (let p = 0; p < an.raw.length; p++) {
        const c = cellContributions(an, p, 2);
        expect(c.positiveSum + c.negativeSum).toBeCloseTo(an.raw[p], 5);
        expect(c.positive.length).toBeLessThanOrEqual(2);
        for (let i = 1; i < c.positive.length; i++)
          expect(c.positive[i - 1].value).toBeGreaterThanOrEqual(c.positive[i].value);
        for (const t of [...c.positive, ...c.negative])
          expect(t.value).toBeCloseTo(t.weight * t.term, 6);
      }
    },
  );

  it('ranks the channels by share of the map, positive first', async () => {
    const an = anatomyOf(await explainWith('gradcam'))!;
    const ranked = rankedChannels(an, 2, 1);
    expect(ranked.length).toBeLessThanOrEqual(3);
    const pos = ranked.filter((c) => an.shares[c] > 0);
    expect(pos[0]).toBe(
      Array.from(an.shares.keys()).sort((a, b) => an.shares[b] - an.shares[a])[0],
    );
  });
});
