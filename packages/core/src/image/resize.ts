import type { RgbaImage } from './types.js';

/**
 * Bilinear resize as Pillow's `Image.resize(size, Image.BILINEAR)` (libImaging/Resample.c),
 * reproduced exactly: a separable triangle filter whose support is 1 source pixel when upscaling
 * (plain bilinear with half-pixel centres, edges clamped) and grows with the ratio when
 * downscaling (antialiased: every source pixel under the filter contributes). Like Pillow it runs
 * a horizontal pass, rounds to 8 bits, then a vertical pass, with 22-bit fixed-point weights.
 *
 * The four channels are filtered independently (Pillow would premultiply RGBA by alpha; Keras
 * converts to RGB before resizing, so colour values match Keras for any alpha). Aspect ratio is not
 * kept: a non-square photo is stretched to the square model input, as Keras
 * `load_img(path, target_size=(n, n))` does. An image already at the target size comes back as a
 * copy with identical pixels.
 */
export function resizeRgba(img: RgbaImage, outW: number, outH: number): RgbaImage {
  const { width, height, data } = img;
  for (const [what, v] of [
    ['width', width],
    ['height', height],
    ['outW', outW],
    ['outH', outH],
  ] as const) {
    if (!Number.isInteger(v) || v < 1) throw new Error(`resizeRgba: ${what} ${v} must be >= 1`);
  }
  if (data.length !== width * height * 4) {
    throw new Error(`resizeRgba: ${data.length} bytes for ${width}x${height} RGBA`);
  }
  if (width === outW && height === outH) {
    return { width, height, data: new Uint8ClampedArray(data) };
  }

  // Vertical taps first: they tell which source rows the horizontal pass must produce.
  const vert = coefficients(height, outH);
  const firstRow = vert.bounds[0];
  const lastRow = vert.bounds[2 * (outH - 1)] + vert.bounds[2 * (outH - 1) + 1];

  if (outW === width) {
    const out = new Uint8ClampedArray(outW * outH * 4);
    resampleVertical(out, data, width, outH, 0, vert);
    return { width: outW, height: outH, data: out };
  }
  const rows = lastRow - firstRow;
  const tmp = new Uint8ClampedArray(outW * rows * 4);
  resampleHorizontal(tmp, data, width, outW, rows, firstRow, coefficients(width, outW));
  if (outH === height) return { width: outW, height: outH, data: tmp };
  const out = new Uint8ClampedArray(outW * outH * 4);
  resampleVertical(out, tmp, outW, outH, firstRow, vert);
  return { width: outW, height: outH, data: out };
}

/** Pillow's PRECISION_BITS (32 - 8 - 2): weights are integers scaled by 2^22. */
const PRECISION_BITS = 22;
const ONE = 1 << PRECISION_BITS;
const HALF = 1 << (PRECISION_BITS - 1);

interface Coefficients {
  /** Per output pixel: first source index and number of taps. */
  bounds: Int32Array;
  /** Taps per output pixel (stride of `weights`). */
  ksize: number;
  /** Fixed-point weights, `ksize` per output pixel. */
  weights: Int32Array;
}

/** Resample.c `precompute_coeffs` with the bilinear filter, then `normalize_coeffs_8bpc`. */
function coefficients(inSize: number, outSize: number): Coefficients {
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const support = 1 * filterScale; // bilinear filter support 1.0, widened when downscaling
  const ksize = Math.ceil(support) * 2 + 1;
  const bounds = new Int32Array(outSize * 2);
  const weights = new Int32Array(outSize * ksize);
  const k = new Float64Array(ksize);
  const ss = 1 / filterScale;
  for (let xx = 0; xx < outSize; xx++) {
    const center = (xx + 0.5) * scale;
    // C's (int) cast truncates toward zero.
    const xmin = Math.max(Math.trunc(center - support + 0.5), 0);
    const xmax = Math.min(Math.trunc(center + support + 0.5), inSize) - xmin;
    let ww = 0;
    for (let x = 0; x < xmax; x++) {
      const t = Math.abs((x + xmin - center + 0.5) * ss);
      const w = t < 1 ? 1 - t : 0; // triangle (bilinear) filter
      k[x] = w;
      ww += w;
    }
    for (let x = 0; x < xmax; x++) {
      const w = ww !== 0 ? k[x] / ww : k[x];
      // Weights are never negative here; (int)(0.5 + w * 2^22) as in normalize_coeffs_8bpc.
      weights[xx * ksize + x] = Math.trunc(0.5 + w * ONE);
    }
    bounds[2 * xx] = xmin;
    bounds[2 * xx + 1] = xmax;
  }
  return { bounds, ksize, weights };
}

/** Resample.c `clip8`: fixed-point sum back to 0..255 (floor of sum / 2^22, clamped). */
function clip8(v: number): number {
  const r = Math.floor(v / ONE);
  return r < 0 ? 0 : r > 255 ? 255 : r;
}

function resampleHorizontal(
  out: Uint8ClampedArray,
  src: Uint8Array | Uint8ClampedArray,
  srcW: number,
  outW: number,
  rows: number,
  firstRow: number,
  c: Coefficients,
): void {
  const { bounds, ksize, weights } = c;
  for (let y = 0; y < rows; y++) {
    const rowBase = (y + firstRow) * srcW * 4;
    let o = y * outW * 4;
    for (let xx = 0; xx < outW; xx++, o += 4) {
      const xmin = bounds[2 * xx];
      const n = bounds[2 * xx + 1];
      const kBase = xx * ksize;
      let s0 = HALF;
      let s1 = HALF;
      let s2 = HALF;
      let s3 = HALF;
      let p = rowBase + xmin * 4;
      for (let x = 0; x < n; x++, p += 4) {
        const w = weights[kBase + x];
        s0 += src[p] * w;
        s1 += src[p + 1] * w;
        s2 += src[p + 2] * w;
        s3 += src[p + 3] * w;
      }
      out[o] = clip8(s0);
      out[o + 1] = clip8(s1);
      out[o + 2] = clip8(s2);
      out[o + 3] = clip8(s3);
    }
  }
}

function resampleVertical(
  out: Uint8ClampedArray,
  src: Uint8Array | Uint8ClampedArray,
  w: number,
  outH: number,
  rowOffset: number,
  c: Coefficients,
): void {
  const { bounds, ksize, weights } = c;
  const stride = w * 4;
  for (let yy = 0; yy < outH; yy++) {
    const ymin = bounds[2 * yy] - rowOffset;
    const n = bounds[2 * yy + 1];
    const kBase = yy * ksize;
    let o = yy * stride;
    for (let i = 0; i < stride; i++, o++) {
      let s = HALF;
      let p = ymin * stride + i;
      for (let y = 0; y < n; y++, p += stride) s += src[p] * weights[kBase + y];
      out[o] = clip8(s);
    }
  }
}
