// End-to-end check of the engine on real ImageNet weights against the independent numpy reference
// in ../shared/reference/mobilenet_v2.json (see ../shared/README.md).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { decode } from 'fast-png';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mobilenetV2 } from './models/mobilenet_v2.js';
import { SHARED_DIR, findRealWeights, useWasmBackend } from './testing/node.js';
import { loadModelWeights } from './weights/load.js';
import { Explainer, type Analysis } from './engine.js';
import type { RgbaImage } from './image/types.js';
import type { LayerMap } from './cams/types.js';

const real = findRealWeights(mobilenetV2.weights.fileName);
const referencePath = join(SHARED_DIR, 'reference', 'mobilenet_v2.json');
const skip = !real.path || !existsSync(referencePath);
if (skip) console.warn(`Skipping engine reference tests: ${real.why || `no ${referencePath}`}`);

type Grid = number[][];
interface Reference {
  images: Record<
    string,
    {
      input: string;
      top5: Array<{ index: number; label: string; probability: number; logit: number }>;
      gradcam?: Record<string, Grid>;
      counterfactual?: Record<string, Grid>;
      methods?: Record<string, Record<string, Grid>>;
    }
  >;
}

function readPng(path: string): RgbaImage {
  const png = decode(readFileSync(path));
  const { width, height, channels, data } = png;
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    for (let c = 0; c < 3; c++) rgba[i * 4 + c] = Number(data[i * channels + c]);
    rgba[i * 4 + 3] = 255;
  }
  return { width, height, data: rgba };
}

function maxDiff(map: LayerMap, grid: Grid): number {
  expect([map.height, map.width]).toEqual([grid.length, grid[0].length]);
  let d = 0;
  grid.flat().forEach((v, i) => (d = Math.max(d, Math.abs(v - map.values[i]))));
  return d;
}

describe.skipIf(skip)('engine on real MobileNetV2 weights', () => {
  let reference: Reference;
  let explainer: Explainer;
  let both: Analysis;

  beforeAll(async () => {
    await useWasmBackend();
    reference = JSON.parse(readFileSync(referencePath, 'utf8')) as Reference;
    const bytes = new Uint8Array(readFileSync(real.path!));
    explainer = new Explainer(mobilenetV2, await loadModelWeights(mobilenetV2, bytes, real.path!));
    both = explainer.analyze(readPng(join(SHARED_DIR, 'reference', reference.images.both.input)));
  });

  afterAll(() => {
    both?.dispose();
    explainer?.dispose();
  });

  it('top-5 of every reference image: same indices, probabilities within 1e-4', () => {
    for (const ref of Object.values(reference.images)) {
      const a = explainer.analyze(readPng(join(SHARED_DIR, 'reference', ref.input)));
      try {
        const top = a.top(5);
        expect(top.map((p) => p.index)).toEqual(ref.top5.map((p) => p.index));
        top.forEach((p, i) => {
          expect(Math.abs(p.probability - ref.top5[i].probability)).toBeLessThan(1e-4);
          expect(p.label).toBe(ref.top5[i].label);
        });
      } finally {
        a.dispose();
      }
    }
  });

  for (const cls of ['243', '282']) {
    it(`Grad-CAM at out_relu for class ${cls} within 1e-3`, async () => {
      const e = await both.explain({ classIndex: Number(cls) });
      expect(e.layer).toBe('out_relu');
      expect(maxDiff(e.output as LayerMap, reference.images.both.gradcam![cls])).toBeLessThan(1e-3);
    });
  }

  it('counterfactual Grad-CAM for class 243 within 1e-3', async () => {
    const e = await both.explain({ classIndex: 243, counterfactual: true });
    expect(
      maxDiff(e.output as LayerMap, reference.images.both.counterfactual!['243']),
    ).toBeLessThan(1e-3);
  });

  for (const method of ['gradcam++', 'xgradcam', 'hirescam', 'layercam', 'eigencam']) {
    it(`${method} for class 243 within 1e-3`, async () => {
      const grid = reference.images.both.methods!['243'][method];
      const e = await both.explain({ classIndex: 243, method });
      expect(maxDiff(e.output as LayerMap, grid)).toBeLessThan(1e-3);
    });
  }

  it('the tiger cat map weighs the lower half, the bull mastiff map the upper half', async () => {
    const lowerShare = (m: LayerMap) => {
      let lo = 0;
      let all = 0;
      m.values.forEach((v, i) => {
        all += v;
        if (Math.floor(i / m.width) >= m.height / 2) lo += v;
      });
      return lo / all;
    };
    const dog = (await both.explain({ classIndex: 243 })).output as LayerMap;
    const cat = (await both.explain({ classIndex: 282 })).output as LayerMap;
    expect(lowerShare(cat)).toBeGreaterThan(0.6);
    expect(lowerShare(dog)).toBeLessThan(0.4);
  });

  it('no tensor leak over 20 explain calls (classes, methods, counterfactual, layers)', async () => {
    // Warm-up: the first use of a layer's head folds its batch norms into cached constants.
    await both.explain({ classIndex: 243, layer: 'block_16_project_BN' });
    const before = tf.memory().numTensors;
    const cat = explainer.analyze(
      readPng(join(SHARED_DIR, 'reference', reference.images.cat.input)),
    );
    const methods = ['gradcam', 'gradcam++', 'xgradcam', 'hirescam', 'layercam', 'eigencam'];
    for (let i = 0; i < 20; i++) {
      const method = methods[i % methods.length];
      await cat.explain({
        classIndex: [285, 281, 282][i % 3],
        method,
        counterfactual: method !== 'eigencam' && i % 4 === 0,
        layer: i % 5 === 4 ? 'block_16_project_BN' : undefined,
      });
    }
    cat.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
