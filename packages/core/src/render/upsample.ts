/**
 * Bilinear resize of a single-channel row-major map with half-pixel centres: output pixel x samples
 * the input at (x + 0.5) * inW / outW - 0.5, clamped to the edge pixels. This is OpenCV
 * `cv2.resize(..., INTER_LINEAR)` and TF2 `tf.image.resize(method='bilinear', antialias=False)`
 * (`half_pixel_centers=True`), which pytorch-grad-cam uses to bring a CAM to image size.
 * Equal sizes return a copy of the input values.
 */
export function upsampleBilinear(
  map: Float32Array,
  h: number,
  w: number,
  outH: number,
  outW: number,
): Float32Array {
  checkSize('input', h, w);
  checkSize('output', outH, outW);
  if (map.length !== h * w) {
    throw new Error(`upsampleBilinear: map has ${map.length} values, expected ${h}x${w}`);
  }
  if (h === outH && w === outW) return new Float32Array(map);

  // Separable: interpolate every source row along x once (Float64Array keeps the values exact),
  // then each output row is one lerp between two of those rows.
  const xs = axis(w, outW);
  const ys = axis(h, outH);
  const rows = new Float64Array(h * outW);
  for (let r = 0; r < h; r++) {
    const base = r * w;
    for (let x = 0, o = r * outW; x < outW; x++, o++) {
      const a = map[base + xs.lo[x]];
      // tf.image.resize's order of operations (resize_bilinear_op.cc): lerp x, then y.
      rows[o] = a + (map[base + xs.hi[x]] - a) * xs.frac[x];
    }
  }
  const out = new Float32Array(outH * outW);
  for (let y = 0, o = 0; y < outH; y++) {
    const top = ys.lo[y] * outW;
    const bottom = ys.hi[y] * outW;
    const fy = ys.frac[y];
    for (let x = 0; x < outW; x++, o++) {
      const t = rows[top + x];
      out[o] = t + (rows[bottom + x] - t) * fy;
    }
  }
  return out;
}

/** Source taps and weights along one axis (half-pixel centres, edge clamped). */
function axis(inSize: number, outSize: number) {
  const scale = inSize / outSize;
  const lo = new Int32Array(outSize);
  const hi = new Int32Array(outSize);
  const frac = new Float64Array(outSize);
  for (let i = 0; i < outSize; i++) {
    const s = (i + 0.5) * scale - 0.5;
    const f = Math.floor(s);
    lo[i] = Math.min(Math.max(f, 0), inSize - 1);
    hi[i] = Math.min(Math.max(f + 1, 0), inSize - 1);
    frac[i] = s - f;
  }
  return { lo, hi, frac };
}

function checkSize(what: string, h: number, w: number): void {
  if (!Number.isInteger(h) || !Number.isInteger(w) || h < 1 || w < 1) {
    throw new Error(`upsampleBilinear: ${what} size ${h}x${w} must be positive integers`);
  }
}
