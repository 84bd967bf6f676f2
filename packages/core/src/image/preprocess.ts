import type { PreprocessMode } from '../network.js';
import type { RgbaImage } from './types.js';

/** ImageNet channel means in BGR order, Keras `imagenet_utils._preprocess_numpy_input` (caffe). */
export const CAFFE_MEAN_BGR = [103.939, 116.779, 123.68] as const;

/** One mode's value for each byte 0..255 (float32, as numpy computes on Keras' float32 array). */
function table(mode: PreprocessMode, mean: number): Float32Array {
  const t = new Float32Array(256);
  for (let v = 0; v < 256; v++) {
    if (mode === 'tf') t[v] = Math.fround(Math.fround(v / 127.5) - 1);
    else if (mode === 'caffe') t[v] = Math.fround(v - Math.fround(mean));
    else if (mode === 'unit') t[v] = Math.fround(v / 255);
    else if (mode === 'raw') t[v] = v;
    else throw new Error(`preprocess: unknown mode '${String(mode)}'`);
  }
  return t;
}

/**
 * Keras `imagenet_utils.preprocess_input` on an already model-sized image, as a float32 NHWC
 * buffer (H * W * channels, batch of one without the batch axis):
 * - `tf`: x / 127.5 - 1 per RGB value;
 * - `caffe`: RGB -> BGR, then subtract CAFFE_MEAN_BGR;
 * - `unit`: x / 255; `raw`: x (see PreprocessMode).
 * Alpha is dropped, as Keras does (`load_img` converts to RGB): RGB values are used as they are,
 * not composited on any background. Each value is computed with float32 roundings after every
 * step, as numpy does on Keras' float32 array, so results are bit-identical to Keras.
 * With `channels` 1 the photo is first converted to grayscale as Keras' `load_img(color_mode=
 * "grayscale")` does, with Pillow's `convert('L')`: L = (19595 R + 38470 G + 7471 B + 2^15) >> 16.
 */
export function preprocess(
  img: RgbaImage,
  mode: PreprocessMode,
  channels: 1 | 3 = 3,
): Float32Array {
  const { width, height, data } = img;
  const n = width * height;
  if (data.length !== n * 4) {
    throw new Error(`preprocess: ${data.length} bytes for ${width}x${height} RGBA`);
  }
  if (channels === 1) {
    if (mode === 'caffe') throw new Error('preprocess: caffe needs 3 channels (BGR means)');
    const t = table(mode, 0);
    const out = new Float32Array(n);
    for (let p = 0, i = 0; p < n; p++, i += 4) {
      out[p] = t[(data[i] * 19595 + data[i + 1] * 38470 + data[i + 2] * 7471 + 0x8000) >> 16];
    }
    return out;
  }
  // One 256-entry table per output channel: out[3p + c] = table[c][byte of source channel].
  const source = mode === 'caffe' ? [2, 1, 0] : [0, 1, 2];
  const [t0, t1, t2] = [0, 1, 2].map((c) => table(mode, CAFFE_MEAN_BGR[c]));
  const [s0, s1, s2] = source;
  const out = new Float32Array(n * 3);
  for (let p = 0, i = 0, o = 0; p < n; p++, i += 4, o += 3) {
    out[o] = t0[data[i + s0]];
    out[o + 1] = t1[data[i + s1]];
    out[o + 2] = t2[data[i + s2]];
  }
  return out;
}
