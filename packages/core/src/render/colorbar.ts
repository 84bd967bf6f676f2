import type { Colormap } from '../colormaps/types.js';
import { colorIndex } from '../colormaps/types.js';
import type { RgbaImage } from '../image/types.js';

export type ColorbarOrientation = 'horizontal' | 'vertical';

/**
 * Legend strip: low values on the left (horizontal) or at the bottom (vertical), as matplotlib's
 * colorbar. Pixel k along the axis (counted from the low end) shows value (k + 0.5) / length, so a
 * 256-pixel bar shows every table entry exactly once.
 */
export function colorbar(
  cmap: Colormap,
  width: number,
  height: number,
  orientation: ColorbarOrientation = 'vertical',
): RgbaImage {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new Error(`colorbar: size ${width}x${height} must be positive integers`);
  }
  const length = orientation === 'horizontal' ? width : height;
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const k = orientation === 'horizontal' ? x : height - 1 - y;
      const e = 3 * colorIndex((k + 0.5) / length);
      const o = 4 * (y * width + x);
      data[o] = cmap.lut[e];
      data[o + 1] = cmap.lut[e + 1];
      data[o + 2] = cmap.lut[e + 2];
      data[o + 3] = 255;
    }
  }
  return { width, height, data };
}
