import type { Colormap } from '../colormaps/types.js';
import { colorIndex } from '../colormaps/types.js';
import type { RgbaImage } from '../image/types.js';
import { normalizeMap } from './normalize.js';

/**
 * How to show a pixel-space gradient (e.g. guided backpropagation):
 * - `deprocess`: signed, all channels: (x - mean) / (std + 1e-5) * 0.1 + 0.5, clipped to [0, 1],
 *   times 255 truncated, over all values at once: pytorch-grad-cam `utils/image.py`
 *   `deprocess_image` (after keras-grad-cam). Zero gradient shows as mid grey.
 * - `abs`: unsigned magnitude per pixel, max over channels of |x| (Simonyan et al. 2014, Sec. 3.1),
 *   divided by its maximum as `normalizeMap` does, shown in grey or through `colormap`.
 */
export type SaliencyMode = 'deprocess' | 'abs';

export interface SaliencyOptions {
  mode?: SaliencyMode;
  /** For `abs` only: colour the magnitude instead of grey. */
  colormap?: Colormap;
}

/**
 * Renders a gradient image, row-major NHWC with 1 or 3 channels (H * W * C values), as opaque RGBA.
 * A 1-channel input renders grey in `deprocess` mode.
 */
export function saliencyToRgba(
  grad: Float32Array,
  width: number,
  height: number,
  options: SaliencyOptions = {},
): RgbaImage {
  const n = width * height;
  const channels = n > 0 ? grad.length / n : 0;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new Error(`saliencyToRgba: size ${width}x${height} must be positive integers`);
  }
  if (channels !== 1 && channels !== 3) {
    throw new Error(
      `saliencyToRgba: ${grad.length} values for ${width}x${height}: expected 1 or 3 channels`,
    );
  }
  const mode = options.mode ?? 'deprocess';
  const data = new Uint8ClampedArray(n * 4);

  if (mode === 'deprocess') {
    // Population mean and standard deviation over every value, as np.mean / np.std.
    let sum = 0;
    for (let i = 0; i < grad.length; i++) sum += grad[i];
    const mean = sum / grad.length;
    let sq = 0;
    for (let i = 0; i < grad.length; i++) sq += (grad[i] - mean) ** 2;
    const scale = 0.1 / (Math.sqrt(sq / grad.length) + 1e-5);
    const byte = (x: number) => {
      const v = (x - mean) * scale + 0.5;
      return v <= 0 ? 0 : v >= 1 ? 255 : Math.trunc(v * 255); // np.uint8 truncates
    };
    for (let p = 0, o = 0; p < n; p++, o += 4) {
      if (channels === 3) {
        data[o] = byte(grad[3 * p]);
        data[o + 1] = byte(grad[3 * p + 1]);
        data[o + 2] = byte(grad[3 * p + 2]);
      } else {
        data[o] = data[o + 1] = data[o + 2] = byte(grad[p]);
      }
      data[o + 3] = 255;
    }
    return { width, height, data };
  }

  if (mode !== 'abs') throw new Error(`saliencyToRgba: unknown mode '${String(mode)}'`);
  const magnitude = new Float32Array(n);
  for (let p = 0; p < n; p++) {
    let m = 0;
    for (let c = 0; c < channels; c++) {
      const a = Math.abs(grad[p * channels + c]);
      if (a > m) m = a; // NaN compares false and counts as 0
    }
    magnitude[p] = m;
  }
  const values = normalizeMap(magnitude).values;
  const lut = options.colormap?.lut;
  for (let p = 0, o = 0; p < n; p++, o += 4) {
    const v = values[p];
    if (lut) {
      const e = 3 * colorIndex(v);
      data[o] = lut[e];
      data[o + 1] = lut[e + 1];
      data[o + 2] = lut[e + 2];
    } else {
      data[o] = data[o + 1] = data[o + 2] = v * 255; // Uint8ClampedArray rounds
    }
    data[o + 3] = 255;
  }
  return { width, height, data };
}
