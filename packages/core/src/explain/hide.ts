// "Hide these regions and predict again": black out the pixels a map marks above a threshold and
// classify the photo again (the page's counterfactual check and `explain --hide` on the CLI).
import type { Analysis, Prediction } from '../engine.js';
import type { CamOutput } from '../cams/types.js';
import type { RgbaImage } from '../image/types.js';
import { upsampleBilinear } from '../render/upsample.js';

/** A map on a grid, row-major, top row first (a layer map's values, a saliency magnitude...). */
export interface HeatGrid {
  width: number;
  height: number;
  values: Float32Array;
}

/** The grid of an explanation's output: a layer map's values, a saliency image's magnitude. */
export function heatGrid(output: CamOutput): HeatGrid {
  const values = output.kind === 'layer' ? output.values : output.magnitude;
  return { width: output.width, height: output.height, values };
}

/**
 * The hiding rule: pixels whose map value is above `threshold` become black (RGB 0, alpha kept).
 * `map` holds one value per pixel of `base` (already upsampled to its size).
 */
export function hideRegions(base: RgbaImage, map: ArrayLike<number>, threshold: number): RgbaImage {
  const out = new Uint8ClampedArray(base.data);
  for (let i = 0; i < map.length; i++) {
    if (map[i] > threshold) out[4 * i] = out[4 * i + 1] = out[4 * i + 2] = 0;
  }
  return { width: base.width, height: base.height, data: out };
}

/** Share of values above `threshold`: the fraction of pixels `hideRegions` blacks out. */
export function hiddenShare(map: ArrayLike<number>, threshold: number): number {
  let n = 0;
  for (let i = 0; i < map.length; i++) if (map[i] > threshold) n++;
  return map.length ? n / map.length : 0;
}

export interface HideResult {
  threshold: number;
  /** Share of model-input pixels blacked out, 0..1. */
  hidden: number;
  /** The target class on the photo as analysed. */
  before: Prediction;
  /** The same class on the photo with the regions hidden. */
  after: Prediction;
  /** The most probable class after hiding. */
  top: Prediction;
}

/**
 * Upsamples `map` (bilinear, half-pixel centres) to the model's input, hides the regions above
 * `threshold` in the analysed photo at that size, and classifies it again (one forward pass).
 */
export function hideAndPredict(
  analysis: Analysis,
  map: HeatGrid,
  classIndex: number,
  threshold: number,
): HideResult {
  const image = analysis.image;
  if (!image) throw new Error('This analysis keeps no photo (made from a tensor): nothing to hide');
  const before = analysis.prediction(classIndex);
  const { inputHeight: h, inputWidth: w } = analysis.explainer.profile;
  const up = upsampleBilinear(map.values, map.height, map.width, h, w);
  const masked = analysis.explainer.analyze(hideRegions(image, up, threshold));
  try {
    return {
      threshold,
      hidden: hiddenShare(up, threshold),
      before,
      after: masked.prediction(classIndex),
      top: masked.top(1)[0],
    };
  } finally {
    masked.dispose();
  }
}
