import type { Colormap } from '../colormaps/types.js';
import { colorIndex } from '../colormaps/types.js';
import type { RgbaImage } from '../image/types.js';

/**
 * Map values in [0, 1] to opaque RGBA through a colormap, choosing the entry as matplotlib does
 * (`colorIndex`: int(v * 256), clipped to 0..255, NaN -> 0).
 */
export function colorize(map: Float32Array, cmap: Colormap): Uint8ClampedArray {
  const lut = cmap.lut;
  const out = new Uint8ClampedArray(map.length * 4);
  for (let i = 0, o = 0; i < map.length; i++, o += 4) {
    const k = 3 * colorIndex(map[i]);
    out[o] = lut[k];
    out[o + 1] = lut[k + 1];
    out[o + 2] = lut[k + 2];
    out[o + 3] = 255;
  }
  return out;
}

/**
 * Heatmap overlay: out = (1 - alpha) * image + alpha * cmap(map) per RGB channel, rounded to
 * nearest (ties to even); output alpha 255, the image alpha is ignored. `map` holds one value in
 * [0, 1] per image pixel (row-major, e.g. from `upsampleBilinear`). Every blend of an image byte with a
 * colour byte is precomputed in a 64 KiB table, so a pixel costs integer lookups only.
 */
export function overlay(
  image: RgbaImage,
  map: Float32Array,
  cmap: Colormap,
  alpha: number,
): RgbaImage {
  const { width, height, data } = image;
  const n = width * height;
  if (map.length !== n) {
    throw new Error(`overlay: map has ${map.length} values, image is ${width}x${height} (${n})`);
  }
  if (data.length !== n * 4) {
    throw new Error(`overlay: image data has ${data.length} bytes, expected ${n * 4}`);
  }
  if (!(alpha >= 0 && alpha <= 1)) throw new Error(`overlay: alpha ${alpha} must be in [0, 1]`);

  // blend[(colour << 8) | pixel] = round((1 - alpha) * pixel + alpha * colour), ties to even
  // (Uint8ClampedArray conversion).
  const blend = new Uint8ClampedArray(256 * 256);
  for (let c = 0, i = 0; c < 256; c++) {
    for (let v = 0; v < 256; v++, i++) blend[i] = (1 - alpha) * v + alpha * c;
  }
  // The colour table shifted left by 8, ready to index `blend`.
  const lut = cmap.lut;
  const rows = new Int32Array(256 * 3);
  for (let k = 0; k < rows.length; k++) rows[k] = lut[k] << 8;

  const out = new Uint8ClampedArray(n * 4);
  if (LITTLE_ENDIAN) {
    // One 32-bit store per pixel: bytes R, G, B, 255 in memory order.
    const out32 = new Uint32Array(out.buffer);
    for (let i = 0, o = 0; i < n; i++, o += 4) {
      const x = map[i] * 256; // colorIndex, inlined
      const k = 3 * (x >= 255 ? 255 : x > 0 ? x | 0 : 0);
      out32[i] =
        blend[rows[k] | data[o]] |
        (blend[rows[k + 1] | data[o + 1]] << 8) |
        (blend[rows[k + 2] | data[o + 2]] << 16) |
        0xff000000;
    }
  } else {
    for (let i = 0, o = 0; i < n; i++, o += 4) {
      const k = 3 * colorIndex(map[i]);
      out[o] = blend[rows[k] | data[o]];
      out[o + 1] = blend[rows[k + 1] | data[o + 1]];
      out[o + 2] = blend[rows[k + 2] | data[o + 2]];
      out[o + 3] = 255;
    }
  }
  return { width, height, data: out };
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
