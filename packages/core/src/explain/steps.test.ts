import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { useWasmBackend } from '../testing/node.js';
import type { LayerMap, SaliencyMap } from '../cams/types.js';
import { computationSteps } from './steps.js';

// A: H = 1, W = 2, K = 3, stored [1, H, W, K]: positions (0,0) and (0,1).
const A = [1, 0, 4, 3, 2, 0];
const layerMap = (channelWeights?: number[], width = 2): LayerMap => ({
  kind: 'layer',
  width,
  height: 1,
  values: new Float32Array(width),
  rawMax: 1,
  channelWeights: channelWeights && Float32Array.from(channelWeights),
});

beforeAll(async () => {
  await useWasmBackend();
});

describe('computationSteps', () => {
  it('gives the weighted sum before ReLU, its range and the channels by contribution', () => {
    const a = tf.tensor4d(A, [1, 1, 2, 3]);
    const weights = [0.5, -1, 0.25];
    const before = tf.memory().numTensors;
    const s = computationSteps(a, layerMap(weights), 2);
    expect(tf.memory().numTensors).toBe(before);
    expect(s.activationShape).toEqual([1, 2, 3]);
    expect(Array.from(s.channelWeights!)).toEqual(weights);
    // sum_k alpha_k A_k: 0.5*1 - 0 + 0.25*4 = 1.5; 0.5*3 - 2 + 0 = -0.5.
    expect(Array.from(s.rawMap!)).toEqual([1.5, -0.5]);
    expect([s.rawMin, s.rawMaxSigned]).toEqual([-0.5, 1.5]);
    // Means 2, 1, 2: contributions 1, -1, 0.5. The two largest: channels 0 and 2.
    expect(s.topChannels!.map((c) => [c.index, c.weight, c.mean, c.contribution])).toEqual([
      [0, 0.5, 2, 1],
      [2, 0.25, 2, 0.5],
    ]);
    expect(Array.from(s.topChannels![0].map)).toEqual([1, 3]);
    expect(s.topChannels![0].max).toBe(3);
    expect(Array.from(s.topChannels![1].map)).toEqual([4, 0]);
    a.dispose();
  });

  it('lists six channels by default (all, when there are fewer)', () => {
    const a = tf.tensor4d(A, [1, 1, 2, 3]);
    expect(computationSteps(a, layerMap([1, 1, 1])).topChannels).toHaveLength(3);
    a.dispose();
  });

  it('copies the channel weights: the explanation keeps its own', () => {
    const a = tf.tensor4d(A, [1, 1, 2, 3]);
    const out = layerMap([1, 2, 3]);
    const s = computationSteps(a, out);
    expect(s.channelWeights).not.toBe(out.channelWeights);
    expect(s.channelWeights!.buffer).not.toBe(out.channelWeights!.buffer);
    a.dispose();
  });

  it('gives only the activation shape without usable channel weights', () => {
    const a = tf.tensor4d(A, [1, 1, 2, 3]);
    expect(computationSteps(a, layerMap())).toEqual({ activationShape: [1, 2, 3] });
    // Weights of another layer (wrong count or size) are not combined with these activations.
    expect(computationSteps(a, layerMap([1, 2]))).toEqual({ activationShape: [1, 2, 3] });
    expect(computationSteps(a, layerMap([1, 2, 3], 3))).toEqual({ activationShape: [1, 2, 3] });
    const saliency: SaliencyMap = {
      kind: 'saliency',
      width: 1,
      height: 1,
      rgb: new Float32Array(3),
      magnitude: new Float32Array(1),
    };
    expect(computationSteps(a, saliency)).toEqual({ activationShape: [1, 2, 3] });
    a.dispose();
  });
});
