import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from '../models/build.js';
import { mobilenetV2 } from '../models/mobilenet_v2.js';
import { useWasmBackend } from '../testing/node.js';
import { glorotUniform, initialValue, randomizeLayers, WeightSnapshot } from './randomize.js';

beforeAll(useWasmBackend);

const absMax = (v: number[]) => v.reduce((m, x) => Math.max(m, Math.abs(x)), 0);

const values = (t: tf.Tensor) => {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
};

describe('re-initialisation (Keras initialisers)', () => {
  it('Glorot-uniform: U(-l, l), l = sqrt(6 / (fan_in + fan_out)), fans of a 3x3 kernel', () => {
    // [3, 3, 16, 32]: fan_in = 9 * 16 = 144, fan_out = 9 * 32 = 288.
    const limit = Math.sqrt(6 / (144 + 288));
    const v = values(glorotUniform([3, 3, 16, 32], 5));
    expect(v).toHaveLength(3 * 3 * 16 * 32);
    expect(absMax(v)).toBeLessThanOrEqual(limit);
    // Spread over the range (a uniform's max is close to the limit).
    expect(Math.max(...v)).toBeGreaterThan(0.95 * limit);
    expect(Math.min(...v)).toBeLessThan(-0.95 * limit);
    // Deterministic for a seed.
    expect(values(glorotUniform([3, 3, 16, 32], 5))).toEqual(v);
    expect(values(glorotUniform([3, 3, 16, 32], 6))).not.toEqual(v);
    // Dense [in, out].
    const dense = values(glorotUniform([1280, 1000], 1));
    expect(absMax(dense)).toBeLessThanOrEqual(Math.sqrt(6 / 2280));
  });

  it('biases and batch-norm shifts become 0, batch-norm scales 1', () => {
    expect(values(initialValue('predictions/bias', [4], 1))).toEqual([0, 0, 0, 0]);
    expect(values(initialValue('bn_Conv1/beta', [2], 1))).toEqual([0, 0]);
    expect(values(initialValue('bn_Conv1/gamma', [2], 1))).toEqual([1, 1]);
  });

  it('changes only trainable weights (moving statistics stay) and restores them exactly', () => {
    const model = buildModel(mobilenetV2);
    try {
      const layer = model.getLayer('block_16_project_BN');
      // "Trained" values unlike the initial ones.
      for (const w of layer.weights) {
        const v = tf.fill(w.read().shape, 0.5);
        w.write(v);
        v.dispose();
      }
      const before = layer.weights.map((w) => Float32Array.from(w.read().dataSync()));
      const tensors = tf.memory().numTensors;
      const snapshot = new WeightSnapshot();
      const n = randomizeLayers(model, ['block_16_project', 'block_16_project_BN'], snapshot, 3);
      // The convolution's kernel, gamma and beta; not the moving mean and variance.
      expect(n).toBe(3);
      expect(snapshot.size).toBe(3);
      const names = layer.weights.map((w) => w.name.split('/').pop());
      expect(names).toEqual(['gamma', 'beta', 'moving_mean', 'moving_variance']);
      layer.weights.forEach((w, i) => {
        const now = Float32Array.from(w.read().dataSync());
        if (w.trainable) expect(now).not.toEqual(before[i]);
        else expect(now).toEqual(before[i]);
      });
      snapshot.restore();
      expect(snapshot.size).toBe(0);
      layer.weights.forEach((w, i) =>
        expect(Float32Array.from(w.read().dataSync())).toEqual(before[i]),
      );
      expect(tf.memory().numTensors).toBe(tensors);
    } finally {
      model.dispose();
    }
  });
});
