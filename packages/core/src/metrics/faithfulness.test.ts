import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { decode } from 'fast-png';
import { useWasmBackend, findRealWeights, SHARED_DIR } from '../testing/node.js';
import { mobilenetV2 } from '../models/mobilenet_v2.js';
import { loadModelWeights } from '../weights/load.js';
import { Explainer } from '../engine.js';
import type { LayerMap } from '../cams/types.js';
import { faithfulness, gaussianBlur, type Scorable } from './faithfulness.js';

beforeAll(useWasmBackend);

/** A fake "network" whose probability is the share of pixels still equal to the original input. */
function fakeAnalysis(size: number): Scorable {
  const input = tf.randomUniform([1, size, size, 3], 0.1, 0.9, 'float32', 5) as tf.Tensor4D;
  return {
    input,
    explainer: {
      profile: { inputHeight: size, inputWidth: size, channels: 3, preprocessing: 'tf' },
    },
    async score(batch: tf.Tensor4D) {
      const p = tf.tidy(() => tf.mean(tf.cast(tf.equal(batch, input), 'float32'), [1, 2, 3]));
      const probabilities = (await p.data()) as Float32Array;
      p.dispose();
      return { logits: probabilities, probabilities };
    },
  };
}

function layerMap(values: number[], h: number, w: number): LayerMap {
  return { kind: 'layer', width: w, height: h, values: Float32Array.from(values), rawMax: 1 };
}

describe('deletion / insertion curves', () => {
  it('follow the removed share exactly for a map-agnostic scorer (AUC 0.5 both ways)', async () => {
    const a = fakeAnalysis(8);
    const progress: number[] = [];
    const r = await faithfulness(a, layerMap([0.1, 0.9, 0.5, 0.3], 2, 2), {
      classIndex: 0,
      baseline: 'black',
      onProgress: (f) => progress.push(f),
    });
    expect(r.deletion.probabilities).toHaveLength(21);
    r.deletion.fractions.forEach((f, i) => {
      expect(r.deletion.probabilities[i]).toBeCloseTo(1 - Math.round(f * 64) / 64, 6);
      expect(r.insertion.probabilities[i]).toBeCloseTo(Math.round(f * 64) / 64, 6);
    });
    expect(r.deletion.auc).toBeCloseTo(0.5, 2);
    expect(r.insertion.auc).toBeCloseTo(0.5, 2);
    expect(progress.at(-1)).toBe(1);
    expect(r.confidence.before).toBe(1);
    a.input.dispose();
  });

  it('removes pixels in order of the map (the top-left quadrant first)', async () => {
    const a = fakeAnalysis(8);
    const scoreSpy: tf.Tensor4D[] = [];
    const orig = a.score.bind(a);
    a.score = async (batch, c) => {
      scoreSpy.push(tf.clone(batch));
      return orig(batch, c);
    };
    await faithfulness(a, layerMap([1, 0, 0, 0], 2, 2), {
      classIndex: 0,
      baseline: 'black',
      steps: 4,
      batchSize: 5,
    });
    // Step 1 of deletion (a quarter removed): only top-left pixels differ from the input.
    const step1 = tf.tidy(() =>
      tf
        .notEqual(
          tf.slice(scoreSpy[0], [1, 0, 0, 0], [1, 8, 8, 1]),
          tf.slice(a.input, [0, 0, 0, 0], [1, 8, 8, 1]),
        )
        .dataSync(),
    );
    const changed = [...step1].map((v, i) => (v ? i : -1)).filter((i) => i >= 0);
    expect(changed).toHaveLength(16);
    expect(changed.every((i) => Math.floor(i / 8) < 4 && i % 8 < 4)).toBe(true);
    scoreSpy.forEach((t) => t.dispose());
    a.input.dispose();
  });

  it('the blur baseline preserves a constant image and smooths a spike', () => {
    tf.tidy(() => {
      const flat = tf.fill([1, 16, 16, 3], 0.25) as tf.Tensor4D;
      expect(tf.max(tf.abs(tf.sub(gaussianBlur(flat), flat))).dataSync()[0]).toBeLessThan(1e-6);
      const spike = tf.buffer([1, 16, 16, 1]);
      spike.set(1, 0, 8, 8, 0);
      const b = gaussianBlur(spike.toTensor() as tf.Tensor4D);
      expect(tf.max(b).dataSync()[0]).toBeLessThan(0.1);
      expect(tf.sum(b).dataSync()[0]).toBeCloseTo(1, 3);
    });
  });
});

const real = findRealWeights(mobilenetV2.weights.fileName);
const both = join(SHARED_DIR, 'reference', 'both_224.png');
const skip = !real.path || !existsSync(both);
if (skip) console.warn(`Skipping real-weights faithfulness test: ${real.why || `no ${both}`}`);

describe.skipIf(skip)('faithfulness on real MobileNetV2 weights', () => {
  it('Grad-CAM beats its own inverse on both.png (bull mastiff): lower deletion, higher insertion AUC', async () => {
    const bytes = new Uint8Array(readFileSync(real.path!));
    const explainer = new Explainer(
      mobilenetV2,
      await loadModelWeights(mobilenetV2, bytes, real.path!),
    );
    const png = decode(readFileSync(both));
    const data = new Uint8ClampedArray(224 * 224 * 4);
    for (let i = 0; i < 224 * 224; i++) {
      for (let c = 0; c < 3; c++) data[i * 4 + c] = Number(png.data[i * png.channels + c]);
      data[i * 4 + 3] = 255;
    }
    const analysis = explainer.analyze({ width: 224, height: 224, data });
    try {
      const e = await analysis.explain({ classIndex: 243 });
      const map = e.output as LayerMap;
      const inverse: LayerMap = { ...map, values: map.values.map((v) => 1 - v) };
      const before = tf.memory().numTensors;
      const good = await faithfulness(analysis, map, { classIndex: 243 });
      const bad = await faithfulness(analysis, inverse, { classIndex: 243 });
      expect(tf.memory().numTensors).toBe(before);
      expect(good.deletion.auc).toBeLessThan(bad.deletion.auc);
      expect(good.insertion.auc).toBeGreaterThan(bad.insertion.auc);
      expect(good.deletion.probabilities[0]).toBeCloseTo(e.target.probability, 4);
      console.log(
        `both.png bull mastiff: Grad-CAM deletion AUC ${good.deletion.auc.toFixed(3)}, insertion ${good.insertion.auc.toFixed(3)}; ` +
          `inverse map deletion ${bad.deletion.auc.toFixed(3)}, insertion ${bad.insertion.auc.toFixed(3)}; ` +
          `confidence ${good.confidence.before.toFixed(3)} -> ${good.confidence.after.toFixed(3)}`,
      );
    } finally {
      analysis.dispose();
      explainer.dispose();
    }
  });
});
