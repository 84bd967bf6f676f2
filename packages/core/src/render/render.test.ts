import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { getColormap } from '../colormaps/registry.js';
import type { RgbaImage } from '../image/types.js';
import { colorbar } from './colorbar.js';
import { colorize, overlay } from './colorize.js';
import { normalizeMap } from './normalize.js';
import { saliencyToRgba } from './saliency.js';
import { upsampleBilinear } from './upsample.js';

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rgbOf = (id: string, i: number) => Array.from(getColormap(id).lut.subarray(3 * i, 3 * i + 3));

describe('upsampleBilinear', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('gives hand-computed half-pixel bilinear values for a 2x2 map', () => {
    // Samples at -0.25, 0.25, 0.75, 1.25 along each axis, clamped to the edge pixels.
    const out = upsampleBilinear(new Float32Array([0, 1, 2, 3]), 2, 2, 4, 4);
    expect(Array.from(out)).toEqual([
      0, 0.25, 0.75, 1, 0.5, 0.75, 1.25, 1.5, 1.5, 1.75, 2.25, 2.5, 2, 2.25, 2.75, 3,
    ]);
  });

  it('returns equal values (a copy) when the size does not change', () => {
    const map = new Float32Array([0.1, 0.7, 0.3, 0.9, 0.2, 0.4]);
    const out = upsampleBilinear(map, 2, 3, 2, 3);
    expect(out).toEqual(map);
    expect(out).not.toBe(map);
  });

  it('averages pairs when halving (half-pixel centres), and keeps constants', () => {
    const out = upsampleBilinear(new Float32Array([0, 2, 4, 6]), 1, 4, 1, 2);
    expect(Array.from(out)).toEqual([1, 5]);
    const flat = upsampleBilinear(new Float32Array(49).fill(0.375), 7, 7, 224, 224);
    expect(flat.every((v) => v === 0.375)).toBe(true);
  });

  it('agrees with tf.image.resizeBilinear(halfPixelCenters) on random maps', () => {
    const rand = random(7);
    for (const [h, w, oh, ow] of [
      [7, 7, 224, 224],
      [7, 7, 90, 135],
      [5, 3, 13, 17],
      [10, 10, 4, 6],
    ]) {
      const map = Float32Array.from({ length: h * w }, rand);
      const ours = upsampleBilinear(map, h, w, oh, ow);
      const theirs = tf.tidy(() =>
        tf.image.resizeBilinear(tf.tensor3d(map, [h, w, 1]), [oh, ow], false, true).dataSync(),
      );
      let worst = 0;
      for (let i = 0; i < ours.length; i++) worst = Math.max(worst, Math.abs(ours[i] - theirs[i]));
      expect(worst, `${h}x${w} -> ${oh}x${ow}`).toBeLessThan(1e-6);
    }
  });

  it('rejects mismatched sizes', () => {
    expect(() => upsampleBilinear(new Float32Array(5), 2, 2, 4, 4)).toThrow(/5 values/);
    expect(() => upsampleBilinear(new Float32Array(4), 2, 2, 0, 4)).toThrow(/positive/);
  });
});

describe('normalizeMap', () => {
  it('applies ReLU and divides by the maximum, reporting the raw range', () => {
    const r = normalizeMap(new Float32Array([-2, 0, 1, 4]));
    expect(Array.from(r.values)).toEqual([0, 0, 0.25, 1]);
    expect(r.max).toBe(4);
    expect(r.min).toBe(-2);
  });

  it('does not hide tiny positive maps', () => {
    for (const tiny of [1e-12, 1e-30, 1e-40 /* float32 subnormal */]) {
      const r = normalizeMap(new Float32Array([0, tiny / 2, tiny]));
      expect(Math.max(...r.values), String(tiny)).toBe(1);
      expect(r.values[1]).toBeCloseTo(0.5, 6);
    }
  });

  it('keeps all-zero and all-negative maps at zero without NaN', () => {
    for (const input of [[0, 0, 0], [-1, -3, 0], [-0.5], [NaN, NaN], []]) {
      const r = normalizeMap(new Float32Array(input));
      expect(Array.from(r.values)).toEqual(input.map(() => 0));
    }
    expect(normalizeMap(new Float32Array([])).max).toBe(0);
  });

  it('treats NaN as 0 and an infinite maximum as 1', () => {
    expect(Array.from(normalizeMap(new Float32Array([NaN, 2, 1])).values)).toEqual([0, 1, 0.5]);
    expect(Array.from(normalizeMap(new Float32Array([Infinity, 2])).values)).toEqual([1, 0]);
  });
});

describe('colorize', () => {
  it('picks table entries as matplotlib does and sets alpha 255', () => {
    const out = colorize(new Float32Array([0, 0.5, 1, NaN, -1, 2, 0.999]), getColormap('jet'));
    const px = (i: number) => Array.from(out.subarray(4 * i, 4 * i + 4));
    expect(px(0)).toEqual([...rgbOf('jet', 0), 255]);
    expect(px(1)).toEqual([...rgbOf('jet', 128), 255]);
    expect(px(2)).toEqual([...rgbOf('jet', 255), 255]);
    expect(px(3)).toEqual([...rgbOf('jet', 0), 255]);
    expect(px(4)).toEqual([...rgbOf('jet', 0), 255]);
    expect(px(5)).toEqual([...rgbOf('jet', 255), 255]);
    expect(px(6)).toEqual([...rgbOf('jet', 255), 255]);
  });
});

describe('overlay', () => {
  const image: RgbaImage = {
    width: 2,
    height: 1,
    data: new Uint8ClampedArray([100, 50, 200, 7, 255, 0, 10, 0]),
  };

  it('blends (1 - alpha) * image + alpha * colour with hand-computed values', () => {
    const viridis = getColormap('viridis'); // entry 0 = (68, 1, 84), entry 255 = (253, 231, 36)
    const out = overlay(image, new Float32Array([0, 1]), viridis, 0.25);
    // 0.75 * (100, 50, 200) + 0.25 * (68, 1, 84) = (92, 37.75, 171)
    // 0.75 * (255, 0, 10) + 0.25 * (253, 231, 36) = (254.5, 57.75, 16.5); ties round to even.
    expect(Array.from(out.data)).toEqual([92, 38, 171, 255, 254, 58, 16, 255]);
    expect([out.width, out.height]).toEqual([2, 1]);
  });

  it('is the image at alpha 0 and the colorized map at alpha 1', () => {
    const map = new Float32Array([0.3, 0.8]);
    const jet = getColormap('jet');
    expect(Array.from(overlay(image, map, jet, 0).data)).toEqual([
      100, 50, 200, 255, 255, 0, 10, 255,
    ]);
    expect(overlay(image, map, jet, 1).data).toEqual(colorize(map, jet));
  });

  it('is within rounding of the exact blend on random data', () => {
    const rand = random(3);
    const w = 37;
    const h = 23;
    const img: RgbaImage = {
      width: w,
      height: h,
      data: Uint8Array.from({ length: w * h * 4 }, () => Math.floor(rand() * 256)),
    };
    const map = Float32Array.from({ length: w * h }, rand);
    const cmap = getColormap('turbo');
    const alpha = 0.37;
    const out = overlay(img, map, cmap, alpha);
    for (let p = 0; p < w * h; p++) {
      const e = 3 * Math.min(255, Math.floor(map[p] * 256));
      for (let c = 0; c < 3; c++) {
        const exact = (1 - alpha) * img.data[4 * p + c] + alpha * cmap.lut[e + c];
        expect(Math.abs(out.data[4 * p + c] - exact)).toBeLessThanOrEqual(0.5);
      }
      expect(out.data[4 * p + 3]).toBe(255);
    }
  });

  it('rejects a map of the wrong size and alpha outside [0, 1]', () => {
    const jet = getColormap('jet');
    expect(() => overlay(image, new Float32Array(3), jet, 0.5)).toThrow(/3 values/);
    expect(() => overlay(image, new Float32Array(2), jet, 1.5)).toThrow(/alpha/);
    expect(() => overlay(image, new Float32Array(2), jet, NaN)).toThrow(/alpha/);
  });
});

describe('colorbar', () => {
  it('shows each table entry once on a 256-pixel bar, low end left or bottom', () => {
    const magma = getColormap('magma');
    const h = colorbar(magma, 256, 2, 'horizontal');
    const v = colorbar(magma, 3, 256, 'vertical');
    for (let k = 0; k < 256; k++) {
      const want = [...rgbOf('magma', k), 255];
      expect(Array.from(h.data.subarray(4 * k, 4 * k + 4))).toEqual(want);
      expect(Array.from(h.data.subarray(4 * (256 + k), 4 * (256 + k) + 4))).toEqual(want);
      const row = 255 - k;
      expect(Array.from(v.data.subarray(4 * (row * 3 + 2), 4 * (row * 3 + 2) + 4))).toEqual(want);
    }
  });

  it('samples bar centres on other lengths', () => {
    const bar = colorbar(getColormap('viridis'), 4, 1, 'horizontal');
    // centres 0.125, 0.375, 0.625, 0.875 -> entries 32, 96, 160, 224
    const got = [0, 1, 2, 3].map((x) => Array.from(bar.data.subarray(4 * x, 4 * x + 3)));
    expect(got).toEqual([32, 96, 160, 224].map((k) => rgbOf('viridis', k)));
    expect(colorbar(getColormap('jet'), 10, 20).height).toBe(20);
  });
});

describe('saliencyToRgba', () => {
  it('deprocess: (x - mean) / (std + 1e-5) * 0.1 + 0.5, clipped, truncated to uint8', () => {
    // 1x2 pixels, 3 channels: values -1, 1 three times each: mean 0, std 1.
    const g = new Float32Array([-1, -1, -1, 1, 1, 1]);
    const out = saliencyToRgba(g, 2, 1);
    const lo = Math.trunc(((-1 / (1 + 1e-5)) * 0.1 + 0.5) * 255); // 102.0003 -> 102
    const hi = Math.trunc(((1 / (1 + 1e-5)) * 0.1 + 0.5) * 255); // 152.99 -> 152
    expect([lo, hi]).toEqual([102, 152]);
    expect(Array.from(out.data)).toEqual([lo, lo, lo, 255, hi, hi, hi, 255]);
  });

  it('deprocess clips outliers and shows a zero gradient as mid grey', () => {
    const g = new Float32Array(300); // 100 pixels, one huge positive value
    g[0] = 1000;
    const out = saliencyToRgba(g, 10, 10);
    expect(out.data[0]).toBe(255);
    const mid = out.data[4 * 50];
    expect(mid).toBeGreaterThanOrEqual(126);
    expect(mid).toBeLessThanOrEqual(127);
    expect(Array.from(saliencyToRgba(new Float32Array(3), 1, 1).data)).toEqual([
      127, 127, 127, 255,
    ]);
  });

  it('abs: max |x| over channels, divided by the maximum, grey or coloured', () => {
    const g = new Float32Array([0.5, -2, 1, 0, 0, 0, 1, -0.5, 0.25]);
    const grey = saliencyToRgba(g, 3, 1, { mode: 'abs' });
    expect(Array.from(grey.data)).toEqual([255, 255, 255, 255, 0, 0, 0, 255, 128, 128, 128, 255]);
    const col = saliencyToRgba(g, 3, 1, { mode: 'abs', colormap: getColormap('inferno') });
    expect(Array.from(col.data.subarray(0, 3))).toEqual(rgbOf('inferno', 255));
    expect(Array.from(col.data.subarray(8, 11))).toEqual(rgbOf('inferno', 128));
    const zero = saliencyToRgba(new Float32Array(4), 2, 2, { mode: 'abs' });
    expect(Array.from(zero.data)).toEqual([0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 255]);
  });

  it('accepts one channel and rejects other layouts', () => {
    const out = saliencyToRgba(new Float32Array([-1, 1]), 2, 1);
    expect(out.data[0]).toBe(out.data[1]);
    expect(() => saliencyToRgba(new Float32Array(8), 2, 2)).toThrow(/1 or 3 channels/);
  });
});
