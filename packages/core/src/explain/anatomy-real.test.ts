// The anatomy and the evidence balance on the real MobileNetV2 weights and both.png (skipped, with
// the reason, without them): the numbers the page shows for the app's own example.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decode } from 'fast-png';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Explainer, type Analysis } from '../engine.js';
import type { RgbaImage } from '../image/types.js';
import type { LayerMap } from '../cams/types.js';
import { mobilenetV2 } from '../models/mobilenet_v2.js';
import { SHARED_DIR, findRealWeights, useWasmBackend } from '../testing/node.js';
import { loadModelWeights } from '../weights/load.js';
import { anatomyOf, cellContributions } from './anatomy.js';
import { anatomyData } from './anatomy-data.js';
import { evidenceBalance } from './evidence.js';

const real = findRealWeights(mobilenetV2.weights.fileName);
const photo = join(SHARED_DIR, 'images', 'both.png');
const skip = !real.path || !existsSync(photo);
if (skip) console.warn(`Skipping anatomy tests on real weights: ${real.why || `no ${photo}`}`);

function readPng(path: string): RgbaImage {
  const { width, height, channels, data } = decode(readFileSync(path));
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    for (let c = 0; c < 3; c++) rgba[i * 4 + c] = Number(data[i * channels + c]);
    rgba[i * 4 + 3] = 255;
  }
  return { width, height, data: rgba };
}

const TIGER_CAT = 282;
const BULL_MASTIFF = 243;

describe.skipIf(skip)('anatomy on real MobileNetV2 weights, both.png', () => {
  let explainer: Explainer;
  let both: Analysis;

  beforeAll(async () => {
    await useWasmBackend();
    const bytes = new Uint8Array(readFileSync(real.path!));
    explainer = new Explainer(mobilenetV2, await loadModelWeights(mobilenetV2, bytes, real.path!));
    both = explainer.analyze(readPng(photo));
  });

  afterAll(() => {
    both?.dispose();
    explainer?.dispose();
  });

  it.each(['gradcam', 'gradcam++', 'layercam', 'eigencam'])(
    '%s: the map taken apart adds up to the map shown',
    async (method) => {
      const e = await both.explain({ method, classIndex: TIGER_CAT });
      const out = e.output as LayerMap;
      const an = anatomyOf(
        anatomyData(both, {
          method,
          layer: e.layer,
          classIndex: TIGER_CAT,
          counterfactual: false,
          channelWeights: out.channelWeights,
        }),
      )!;
      expect(an.data.shape).toEqual([7, 7, 1280]);
      const max = Math.max(...an.raw);
      expect(max).toBeCloseTo(out.rawMax, 4);
      an.raw.forEach((v, p) => expect(Math.max(0, v) / max).toBeCloseTo(out.values[p], 3));
      const hottest = out.values.indexOf(1);
      const cell = cellContributions(an, hottest);
      expect(cell.positiveSum + cell.negativeSum).toBeCloseTo(an.raw[hottest], 4);
    },
  );

  it('the counterfactual of "tiger cat" is weak: 3.5 % of the evidence for the cat', async () => {
    const e = await both.explain({ classIndex: TIGER_CAT, counterfactual: true });
    const b = (await evidenceBalance(both, e))!;
    expect(b.rawMax).toBeCloseTo(0.0125, 3);
    expect(b.oppositeRawMax).toBeCloseTo(0.36, 2);
    expect(b.weak).toBe(true);
    // The bull mastiff's counterfactual (the cat) is stronger: about 9 % of its evidence.
    const dog = await both.explain({ classIndex: BULL_MASTIFF, counterfactual: true });
    const bd = (await evidenceBalance(both, dog))!;
    expect(bd.ratio).toBeGreaterThan(0.05);
    expect(bd.weak).toBe(false);
  });
});
