import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resizeRgba } from './resize.js';
import type { RgbaImage } from './types.js';

function image(width: number, height: number, f: (x: number, y: number, c: number) => number) {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      for (let c = 0; c < 4; c++) data[4 * (y * width + x) + c] = f(x, y, c);
  return { width, height, data };
}

/** Deterministic noise (mulberry32). */
function noise(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) % 256;
  };
}

const channel = (img: RgbaImage, c: number) => Array.from(img.data.filter((_, i) => i % 4 === c));

describe('resizeRgba', () => {
  it('returns equal pixels (a copy) when the size already matches', () => {
    const img = image(5, 3, noise(1));
    const out = resizeRgba(img, 5, 3);
    expect(out.data).toEqual(new Uint8ClampedArray(img.data));
    expect(out.data).not.toBe(img.data);
  });

  it('has the requested size and stretches non-square images', () => {
    const out = resizeRgba(image(1352, 900, noise(2)), 224, 224);
    expect([out.width, out.height, out.data.length]).toEqual([224, 224, 224 * 224 * 4]);
    const tall = resizeRgba(image(3, 10, noise(3)), 7, 7);
    expect([tall.width, tall.height]).toEqual([7, 7]);
  });

  it('keeps a constant image constant in every direction', () => {
    const flat = image(13, 9, (_x, _y, c) => [12, 200, 77, 255][c]);
    for (const [w, h] of [
      [4, 4],
      [30, 5],
      [13, 40],
      [1, 1],
    ]) {
      const out = resizeRgba(flat, w, h);
      for (let c = 0; c < 4; c++) {
        expect(new Set(channel(out, c)), `${w}x${h} channel ${c}`).toEqual(
          new Set([[12, 200, 77, 255][c]]),
        );
      }
    }
  });

  it('upscales with plain bilinear, half-pixel centres and clamped edges', () => {
    // Row 0, 100 -> 4 pixels: samples at -0.25, 0.25, 0.75, 1.25 -> 0, 25, 75, 100.
    const out = resizeRgba(
      image(2, 1, (x, _y, c) => (c === 3 ? 255 : x * 100)),
      4,
      1,
    );
    expect(channel(out, 0)).toEqual([0, 25, 75, 100]);
    expect(channel(out, 3)).toEqual([255, 255, 255, 255]);
  });

  it('downscales with an antialiasing triangle filter, not by point sampling', () => {
    // 0, 255 stripes halved: a width-2 triangle covers both colours, so every output is near grey.
    const stripes = image(8, 1, (x, _y, c) => (c === 3 ? 255 : x % 2 ? 255 : 0));
    const half = channel(resizeRgba(stripes, 4, 1), 0);
    for (const v of half) expect(Math.abs(v - 128)).toBeLessThanOrEqual(32);
    // Pillow's weights for 4 -> 1: centre 2, triangle half-width 4 (1 pixel * ratio 4), taps at
    // pixel centres 0.5..3.5 weigh 1 - |d| / 4 = (5, 7, 7, 5) / 8, normalised to (5, 7, 7, 5) / 24.
    const four = image(4, 1, (x, _y, c) => (c === 3 ? 255 : [0, 0, 0, 255][x]));
    expect(channel(resizeRgba(four, 1, 1), 0)).toEqual([53]); // 255 * 5 / 24 = 53.125 -> 53
  });

  it('rejects bad sizes', () => {
    expect(() =>
      resizeRgba(
        image(2, 2, () => 0),
        0,
        3,
      ),
    ).toThrow(/outW 0/);
    expect(() => resizeRgba({ width: 2, height: 2, data: new Uint8Array(3) }, 1, 1)).toThrow(
      /bytes/,
    );
  });

  it("equals Pillow's Image.resize(BILINEAR) byte for byte", (ctx) => {
    const py = '/usr/bin/python3';
    if (!existsSync(py)) {
      console.log(`skipped: ${py} not found`);
      ctx.skip();
    }
    // RGB through mode 'RGB' and alpha through mode 'L' (Pillow premultiplies mode 'RGBA').
    const script = [
      'import sys',
      'import numpy as np',
      'from PIL import Image',
      'w, h, ow, oh = map(int, sys.argv[1:5])',
      'raw = sys.stdin.buffer.read()',
      'rgb = bytes(b for i, b in enumerate(raw) if i % 4 != 3)',
      'alpha = raw[3::4]',
      "out = Image.frombytes('RGB', (w, h), rgb).resize((ow, oh), Image.BILINEAR).tobytes()",
      "out_a = Image.frombytes('L', (w, h), alpha).resize((ow, oh), Image.BILINEAR).tobytes()",
      'sys.stdout.buffer.write(out + out_a)',
    ].join('\n');
    const cases: [RgbaImage, number, number][] = [
      [image(1352, 900, noise(4)), 224, 224],
      [image(640, 480, (x, y, c) => (x * 3 + y * (c + 1)) % 256), 299, 299],
      [image(100, 37, noise(5)), 299, 299],
      [image(50, 50, noise(6)), 20, 80],
      [image(7, 5, noise(7)), 3, 2],
      [image(1, 1, noise(8)), 4, 3],
      [image(224, 224, noise(9)), 224, 7],
    ];
    for (const [img, ow, oh] of cases) {
      let raw: Buffer;
      try {
        raw = execFileSync(py, ['-c', script, ...[img.width, img.height, ow, oh].map(String)], {
          input: Buffer.from(img.data),
          maxBuffer: 1 << 26,
        });
      } catch (e) {
        console.log(`skipped: ${py} has no usable Pillow (${(e as Error).message.split('\n')[0]})`);
        ctx.skip();
        return;
      }
      const ours = resizeRgba(img, ow, oh);
      const n = ow * oh;
      const rgb = Array.from(ours.data.filter((_, i) => i % 4 !== 3));
      const label = `${img.width}x${img.height} -> ${ow}x${oh}`;
      expect(rgb, label).toEqual(Array.from(raw.subarray(0, 3 * n)));
      expect(channel(ours, 3), label).toEqual(Array.from(raw.subarray(3 * n, 4 * n)));
    }
  });
});
