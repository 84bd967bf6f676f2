import { describe, expect, it } from 'vitest';
import { averageRanks, gaussianTaps, pearson, spearman, ssim } from './similarity.js';

describe('Spearman rank correlation', () => {
  it('ranks ties by the mean of the ranks they span', () => {
    expect(Array.from(averageRanks([5, 6, 7, 8, 7]))).toEqual([1, 2, 3.5, 5, 3.5]);
    expect(Array.from(averageRanks([0, 0, 0, 1]))).toEqual([2, 2, 2, 4]);
  });

  it('without ties: 1 - 6 sum d^2 / (n (n^2 - 1))', () => {
    // d = (-1, 1, -1, 1, 0): 1 - 6 * 4 / (5 * 24) = 0.8
    expect(spearman([1, 2, 3, 4, 5], [2, 1, 4, 3, 5])).toBeCloseTo(0.8, 12);
    expect(spearman([1, 2, 3, 4, 5], [10, 20, 30, 40, 50])).toBeCloseTo(1, 12);
    expect(spearman([1, 2, 3, 4, 5], [5, 4, 3, 2, 1])).toBeCloseTo(-1, 12);
    // Only the order counts: any increasing transform of one map changes nothing.
    expect(spearman([0.1, 0.5, 0.2, 0.9], [1, 25, 4, 81])).toBeCloseTo(1, 12);
  });

  it('with ties: Pearson of the average ranks, computed by hand', () => {
    // ranks (1..5) and (1, 2, 3.5, 5, 3.5): deviations (-2..2) and (-2, -1, .5, 2, .5),
    // covariance sum 8, sums of squares 10 and 9.5: 8 / sqrt(95).
    expect(spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7])).toBeCloseTo(8 / Math.sqrt(95), 12);
  });

  it('is 0 for a constant (e.g. all-zero) map, where it is undefined', () => {
    expect(spearman([0, 0, 0], [1, 2, 3])).toBe(0);
    expect(pearson([1, 2, 3], [4, 4, 4])).toBe(0);
  });

  it('refuses maps of different sizes', () => {
    expect(() => spearman([1, 2], [1, 2, 3])).toThrow(/different sizes/);
  });
});

describe('SSIM (Wang et al. 2004)', () => {
  it('has an 11-tap Gaussian window of sigma 1.5 that sums to 1', () => {
    const t = gaussianTaps(11, 1.5);
    expect(t).toHaveLength(11);
    expect(t.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 14);
    expect(t[5] / t[4]).toBeCloseTo(Math.exp(1 / (2 * 1.5 * 1.5)), 12);
  });

  it('is 1 for identical maps', () => {
    const a = Array.from({ length: 16 * 16 }, (_, i) => Math.sin(i) ** 2);
    expect(ssim(a, a, 16, 16)).toBeCloseTo(1, 12);
  });

  it('one window on flat maps: (2 mx my + C1) / (mx^2 + my^2 + C1) with C1 = 0.01^2', () => {
    // 11x11 maps, one window position; no variance, so the contrast-structure term is C2 / C2.
    const a = new Array(121).fill(0.5);
    const b = new Array(121).fill(0.25);
    expect(ssim(a, b, 11, 11)).toBeCloseTo((2 * 0.125 + 1e-4) / (0.25 + 0.0625 + 1e-4), 12);
  });

  it('per-pixel (1x1 window): mean of (2xy + C1) / (x^2 + y^2 + C1)', () => {
    // (1 + 1e-4) / (1.25 + 1e-4) and (0 + 1e-4) / (0 + 1e-4) = 1, averaged.
    const v = ssim([1, 0], [0.5, 0], 1, 2, { window: 1 });
    expect(v).toBeCloseTo((1.0001 / 1.2501 + 1) / 2, 12);
  });

  it('a checkerboard against its negative (uniform window): the closed form', () => {
    // 11x11 cells, x = 1 on 61 of them, y = 1 - x; a very wide Gaussian is a uniform window.
    const x = Array.from({ length: 121 }, (_, i) =>
      (Math.floor(i / 11) + (i % 11)) % 2 === 0 ? 1 : 0,
    );
    const y = x.map((v) => 1 - v);
    const mx = 61 / 121;
    const my = 60 / 121;
    const vx = mx - mx * mx;
    const vy = my - my * my;
    const cxy = 0 - mx * my;
    const c1 = 1e-4;
    const c2 = 9e-4;
    const expected =
      ((2 * mx * my + c1) * (2 * cxy + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2));
    expect(expected).toBeLessThan(0);
    expect(ssim(x, y, 11, 11, { sigma: 1e9 })).toBeCloseTo(expected, 9);
  });

  it('refuses a map smaller than its window', () => {
    expect(() => ssim([1, 2, 3, 4], [1, 2, 3, 4], 2, 2)).toThrow(/smaller than/);
  });
});
