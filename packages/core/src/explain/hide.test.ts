import { describe, expect, it } from 'vitest';
import type { Analysis, Prediction } from '../engine.js';
import type { RgbaImage } from '../image/types.js';
import { upsampleBilinear } from '../render/upsample.js';
import { heatGrid, hiddenShare, hideAndPredict, hideRegions } from './hide.js';

const image = (w: number, h: number, v = 100): RgbaImage => ({
  width: w,
  height: h,
  data: new Uint8ClampedArray(w * h * 4).fill(v),
});

describe('the hiding rule', () => {
  it('blacks out pixels above the threshold only, keeping alpha', () => {
    const out = hideRegions(image(2, 1, 90), new Float32Array([0.5, 0.6]), 0.5);
    expect(Array.from(out.data)).toEqual([90, 90, 90, 90, 0, 0, 0, 90]);
  });

  it('leaves the original untouched and counts the hidden share', () => {
    const base = image(2, 2, 7);
    hideRegions(base, new Float32Array([1, 1, 1, 1]), 0);
    expect(base.data.every((v) => v === 7)).toBe(true);
    expect(hiddenShare(new Float32Array([0.1, 0.9, 0.5, 1]), 0.5)).toBe(0.5);
    expect(hiddenShare(new Float32Array(0), 0.5)).toBe(0);
  });

  it('takes a layer map as is and a saliency image by its magnitude', () => {
    const values = new Float32Array([0, 1]);
    expect(heatGrid({ kind: 'layer', width: 2, height: 1, values, rawMax: 1 })).toEqual({
      width: 2,
      height: 1,
      values,
    });
    const magnitude = new Float32Array([0.5]);
    const rgb = new Float32Array(3);
    expect(heatGrid({ kind: 'saliency', width: 1, height: 1, rgb, magnitude }).values).toBe(
      magnitude,
    );
  });
});

describe('hideAndPredict', () => {
  /** A fake analysis over a 4x4 photo: the "network" scores class 1 by the photo's brightness. */
  function fake(photo: RgbaImage | undefined) {
    const seen: RgbaImage[] = [];
    let disposed = 0;
    const predict = (img: RgbaImage) => {
      let sum = 0;
      img.data.forEach((v, i) => (sum += i % 4 === 3 ? 0 : v));
      const mean = sum / (img.width * img.height * 3);
      const p = (index: number): Prediction => ({
        index,
        label: `class ${index}`,
        probability: index === 1 ? mean / 255 : 1 - mean / 255,
        logit: index === 1 ? mean : -mean,
      });
      return {
        prediction: p,
        top: () => [mean > 127 ? p(1) : p(0)],
        dispose: () => void disposed++,
      };
    };
    const explainer = {
      profile: { inputHeight: 4, inputWidth: 4 },
      analyze: (img: RgbaImage) => {
        seen.push(img);
        return predict(img);
      },
    };
    const analysis = {
      ...predict(photo ?? image(4, 4)),
      image: photo,
      explainer,
    } as unknown as Analysis;
    return { analysis, seen, disposed: () => disposed };
  }

  it('upsamples the map to the input, hides what is above the threshold and classifies again', () => {
    const photo = image(4, 4, 200);
    const { analysis, seen, disposed } = fake(photo);
    // A 2x2 map whose right column is hot: the right half of the photo goes black.
    const map = { width: 2, height: 2, values: new Float32Array([0, 1, 0, 1]) };
    const r = hideAndPredict(analysis, map, 1, 0.5);
    const up = upsampleBilinear(map.values, 2, 2, 4, 4);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toEqual(hideRegions(photo, up, 0.5));
    expect(r.hidden).toBe(hiddenShare(up, 0.5));
    expect(r.hidden).toBe(0.5);
    expect(r.threshold).toBe(0.5);
    expect(r.before).toEqual({ index: 1, label: 'class 1', probability: 200 / 255, logit: 200 });
    expect(r.after.logit).toBeCloseTo(100, 10);
    expect(r.top.index).toBe(0);
    expect(disposed()).toBe(1);
  });

  it('needs the photo the analysis was made from', () => {
    const { analysis } = fake(undefined);
    expect(() =>
      hideAndPredict(analysis, { width: 1, height: 1, values: new Float32Array([1]) }, 1, 0.5),
    ).toThrow(/no photo/);
  });
});
