import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CAFFE_MEAN_BGR, preprocess } from './preprocess.js';
import type { RgbaImage } from './types.js';

// 2x1 image: (0, 127.5-ish, 255) and (10, 20, 30), alphas 0 and 128 (alpha must not matter).
const img: RgbaImage = {
  width: 2,
  height: 1,
  data: new Uint8ClampedArray([0, 128, 255, 0, 10, 20, 30, 128]),
};

describe('preprocess', () => {
  it('tf: x / 127.5 - 1 on RGB, NHWC', () => {
    const out = preprocess(img, 'tf');
    expect(out).toBeInstanceOf(Float32Array);
    expect(out.length).toBe(6);
    const want = [0, 128, 255, 10, 20, 30].map((v) => Math.fround(Math.fround(v / 127.5) - 1));
    expect(Array.from(out)).toEqual(want);
    expect(out[0]).toBe(-1);
    expect(out[2]).toBe(1);
    expect(out[1]).toBeCloseTo(1 / 255, 6); // 128 / 127.5 - 1, float32 cancellation
  });

  it('caffe: RGB -> BGR, then subtract the BGR means', () => {
    const out = preprocess(img, 'caffe');
    const f = Math.fround;
    // pixel 0: B = 255, G = 128, R = 0
    expect(Array.from(out)).toEqual([
      f(255 - f(103.939)),
      f(128 - f(116.779)),
      f(0 - f(123.68)),
      f(30 - f(103.939)),
      f(20 - f(116.779)),
      f(10 - f(123.68)),
    ]);
    expect(out[0]).toBeCloseTo(151.061, 4);
    expect(out[2]).toBeCloseTo(-123.68, 4);
    expect(CAFFE_MEAN_BGR).toEqual([103.939, 116.779, 123.68]);
  });

  it('ignores alpha entirely', () => {
    const opaque = {
      ...img,
      data: new Uint8ClampedArray(img.data).map((v, i) => (i % 4 === 3 ? 255 : v)),
    };
    expect(preprocess(opaque, 'tf')).toEqual(preprocess(img, 'tf'));
    expect(preprocess(opaque, 'caffe')).toEqual(preprocess(img, 'caffe'));
  });

  it('rejects bad input', () => {
    expect(() => preprocess({ width: 2, height: 2, data: new Uint8Array(4) }, 'tf')).toThrow(
      /bytes/,
    );
    expect(() => preprocess(img, 'torch' as never)).toThrow(/unknown mode/);
  });

  it('is bit-identical to numpy float32 as in Keras preprocess_input, for every byte', (ctx) => {
    const py = '/usr/bin/python3';
    if (!existsSync(py)) {
      console.log(`skipped: ${py} not found`);
      ctx.skip();
    }
    // Keras imagenet_utils._preprocess_numpy_input, both modes, on a 256x1 ramp (R = G = B = v).
    const script = [
      'import sys, numpy as np',
      'x = np.repeat(np.arange(256, dtype=np.float32)[:, None], 3, axis=1)',
      't = x.copy(); t /= 127.5; t -= 1.0',
      'c = x[..., ::-1].copy()',
      'for i, m in enumerate([103.939, 116.779, 123.68]): c[..., i] -= m',
      'sys.stdout.buffer.write(t.astype("<f4").tobytes() + c.astype("<f4").tobytes())',
    ].join('\n');
    let raw: Buffer;
    try {
      raw = execFileSync(py, ['-c', script]);
    } catch (e) {
      console.log(`skipped: ${py} has no usable numpy (${(e as Error).message.split('\n')[0]})`);
      ctx.skip();
      return;
    }
    const ref = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.length));
    const ramp = {
      width: 256,
      height: 1,
      data: new Uint8ClampedArray(1024).map((_, i) => (i % 4 === 3 ? 255 : i >> 2)),
    };
    expect(Array.from(preprocess(ramp, 'tf'))).toEqual(Array.from(ref.subarray(0, 768)));
    expect(Array.from(preprocess(ramp, 'caffe'))).toEqual(Array.from(ref.subarray(768)));
  });
});
