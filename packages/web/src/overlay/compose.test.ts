import { describe, expect, it } from 'vitest';
import { blend, Compositor, halves, hideRegions, type Heat } from './compose';
import {
  getColormap,
  overlay,
  upsampleBilinear,
  type RgbaImage,
} from '@gradcam-explorer/core/pure';

const image = (w: number, h: number, v = 100): RgbaImage => ({
  width: w,
  height: h,
  data: new Uint8ClampedArray(w * h * 4).fill(v),
});

describe('Compositor', () => {
  const heat: Heat = {
    kind: 'layer',
    width: 2,
    height: 2,
    values: new Float32Array([0, 0.25, 0.5, 1]),
  };

  it('is core overlay of the bilinearly upsampled map', () => {
    const base = image(6, 4);
    const out = new Compositor().compose(base, heat, {
      colormap: 'viridis',
      opacity: 0.4,
      saliencyMode: 'deprocess',
    });
    const want = overlay(
      base,
      upsampleBilinear(heat.values, 2, 2, 4, 6),
      getColormap('viridis'),
      0.4,
    );
    expect(out.data).toEqual(want.data);
  });

  it('upsamples once per result and size, and again for a new result', () => {
    const c = new Compositor();
    const a = c.mapAt(heat, 6, 4);
    expect(c.mapAt(heat, 6, 4)).toBe(a);
    expect(c.mapAt(heat, 3, 2)).not.toBe(a);
    const other: Heat = { ...heat, values: new Float32Array(4) };
    expect(c.mapAt(other, 3, 2).every((v) => v === 0)).toBe(true);
  });

  it('blends saliency images over the photo', () => {
    const base = image(2, 2, 0);
    const sal: Heat = {
      kind: 'saliency',
      width: 2,
      height: 2,
      rgb: new Float32Array(12),
      magnitude: new Float32Array(4),
    };
    // Zero gradients render mid grey (127) in the signed mode; at opacity 1 that is all we see.
    const out = new Compositor().compose(base, sal, {
      colormap: 'jet',
      opacity: 1,
      saliencyMode: 'deprocess',
    });
    expect(Array.from(out.data.subarray(0, 4))).toEqual([127, 127, 127, 255]);
  });
});

describe('blend, halves, hideRegions', () => {
  it('blend mixes RGB and makes the result opaque', () => {
    const out = blend(image(1, 1, 0), image(1, 1, 200), 0.25);
    expect(Array.from(out.data)).toEqual([50, 50, 50, 255]);
  });

  it('halves sums the top and bottom half, splitting an odd middle row', () => {
    expect(halves(new Float32Array([1, 1, 0, 0]), 2, 2)).toEqual([2, 0]);
    // Rows 0, 2, 4: the middle row counts half to each side.
    expect(halves(new Float32Array([0, 2, 4]), 1, 3)).toEqual([1, 5]);
  });

  it('hideRegions blacks out pixels above the threshold only', () => {
    const out = hideRegions(image(2, 1, 90), new Float32Array([0.5, 0.6]), 0.5);
    expect(Array.from(out.data)).toEqual([90, 90, 90, 90, 0, 0, 0, 90]);
  });
});
