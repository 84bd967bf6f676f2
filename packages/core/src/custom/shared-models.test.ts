// The four real user models of `<shared>/models`: each loads from named bytes (labels file among
// them), says what it understood, and gives a non-constant map at its default layer.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { useWasmBackend } from '../testing/node.js';
import { SHARED_MODELS, sharedModelsSkip } from '../testing/shared-models.js';
import { loadUserModel } from './load.js';

const skip = sharedModelsSkip('the shared user-model tests');
beforeAll(useWasmBackend);

const file = (path: string) => ({ name: path, bytes: new Uint8Array(readFileSync(path)) });

/** A photo-like test card: smooth colour gradients and a bright disc off centre. */
function testCard(w: number, h: number) {
  const data = new Uint8ClampedArray(w * h * 4);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const disc = (x - w * 0.35) ** 2 + (y - h * 0.4) ** 2 < (w * 0.2) ** 2 ? 120 : 0;
      const i = 4 * (y * w + x);
      data[i] = Math.min(255, (255 * x) / w + disc);
      data[i + 1] = Math.min(255, (255 * y) / h + disc);
      data[i + 2] = 128 + disc / 2;
      data[i + 3] = 255;
    }
  }
  return { width: w, height: h, data };
}

describe.skipIf(skip).each(SHARED_MODELS.map((m) => [m.id, m] as const))('%s', (_id, m) => {
  it('loads by content and says what it understood', async () => {
    const tensors = tf.memory().numTensors;
    const user = await loadUserModel([m.model, ...m.shards, m.labels].map(file));
    try {
      const { info } = user;
      expect(info.formatLabel).toMatch(m.formatLabel);
      expect(info.input).toEqual(m.input);
      expect(info.classes).toHaveLength(m.classes);
      expect(info.labelsFrom).toBe(m.labels);
      expect(info.output.kind).toBe(m.output);
      expect(info.nested).toEqual(m.nested);
      expect(info.defaultLayer).toBe(m.defaultLayer);
      expect(info.preprocessing.mode).toBe(m.detected);
      expect(info.warnings).toEqual([]);
      const layer = user.explainer.camLayers().find((l) => l.isDefault)!;
      expect([layer.height, layer.width]).toEqual(m.map);

      const a = user.explainer.analyze(testCard(2 * m.input.width, 2 * m.input.height));
      expect(a.probabilities.every(Number.isFinite)).toBe(true);
      expect(a.probabilities.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 4);
      const e = await a.explain({ method: 'gradcam' });
      if (e.output.kind !== 'layer') throw new Error('a layer map');
      expect([e.output.height, e.output.width]).toEqual(m.map);
      const values = e.output.values;
      expect(values.some((v) => v !== values[0])).toBe(true);
      a.dispose();
    } finally {
      user.explainer.dispose();
    }
    expect(tf.memory().numTensors).toBe(tensors);
  });
});
