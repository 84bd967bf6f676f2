// Timings of the per-frame render path at a 1352x900 photo size (the app composes overlays on the
// UI thread within one 16 ms frame). Run: npx vitest bench --run scripts/render.bench.ts
import { bench, describe } from 'vitest';
import { getColormap } from '../packages/core/src/colormaps/registry.js';
import { resizeRgba } from '../packages/core/src/image/resize.js';
import { overlay } from '../packages/core/src/render/colorize.js';
import { upsampleBilinear } from '../packages/core/src/render/upsample.js';

const W = 1352;
const H = 900;
let seed = 1;
const rand = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
const photo = {
  width: W,
  height: H,
  data: Uint8ClampedArray.from({ length: W * H * 4 }, () => Math.floor(rand() * 256)),
};
const cam = Float32Array.from({ length: 7 * 7 }, rand);
const map = upsampleBilinear(cam, 7, 7, H, W);
const jet = getColormap('jet');

describe(`render path at ${W}x${H}`, () => {
  bench('upsampleBilinear 7x7 -> 1352x900', () => {
    upsampleBilinear(cam, 7, 7, H, W);
  });
  bench('overlay 1352x900 (jet, alpha 0.5)', () => {
    overlay(photo, map, jet, 0.5);
  });
  bench('resizeRgba 1352x900 -> 224x224', () => {
    resizeRgba(photo, 224, 224);
  });
});
