// decodeImage on every supported format (PNG, JPEG, WebP, GIF, BMP), EXIF orientation and colour
// conversion to 8-bit sRGB RGBA, and the PNG round trip through encodePng and writePng.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transformer } from '@napi-rs/image';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImage, decodeImageFile, encodePng, writePng } from './image-io.js';
import { BLUE, leftRedRightBlue, RED, solid } from './testing/image-samples.js';
import type { RgbaImage } from '@gradcam-explorer/core';

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'gradcam-image-io-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** Pixel (x, y) as [r, g, b, a]. */
function px(img: RgbaImage, x: number, y: number): number[] {
  const i = (y * img.width + x) * 4;
  return Array.from(img.data.subarray(i, i + 4));
}

function expectClose(actual: number[], expected: number[], tol: number): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((v, i) =>
    expect(Math.abs(v - expected[i]), `channel ${i}: ${actual}`).toBeLessThanOrEqual(tol),
  );
}

/** Uncompressed palette BMP (BITMAPINFOHEADER), rows padded to 4 bytes; written top-down if asked. */
function paletteBmp(
  bits: 4 | 8,
  width: number,
  height: number,
  palette: number[][],
  index: (x: number, y: number) => number,
  topDown: boolean,
): Buffer {
  const stride = Math.ceil((width * bits) / 32) * 4;
  const offset = 14 + 40 + palette.length * 4;
  const buf = Buffer.alloc(offset + stride * height);
  buf.write('BM', 0, 'latin1');
  buf.writeUInt32LE(buf.length, 2);
  buf.writeUInt32LE(offset, 10);
  buf.writeUInt32LE(40, 14);
  buf.writeInt32LE(width, 18);
  buf.writeInt32LE(topDown ? -height : height, 22);
  buf.writeUInt16LE(1, 26);
  buf.writeUInt16LE(bits, 28);
  buf.writeUInt32LE(palette.length, 46);
  palette.forEach(([r, g, b], i) => buf.set([b, g, r, 0], 54 + i * 4));
  for (let y = 0; y < height; y++) {
    const row = offset + (topDown ? y : height - 1 - y) * stride;
    for (let x = 0; x < width; x++) {
      const c = index(x, y);
      if (bits === 8) buf[row + x] = c;
      else buf[row + (x >> 1)] |= x % 2 === 0 ? c << 4 : c;
    }
  }
  return buf;
}

describe('decodeImage: formats', () => {
  it('PNG round trip is lossless, alpha included', async () => {
    const width = 13;
    const height = 7;
    const data = new Uint8ClampedArray(width * height * 4);
    for (let i = 0; i < data.length; i++) data[i] = (i * 37 + (i >> 2) * 11) % 256;
    const png = await encodePng({ width, height, data });
    expect(Array.from(png.subarray(1, 4))).toEqual([0x50, 0x4e, 0x47]); // "PNG"
    const back = await decodeImage(png, 'roundtrip.png');
    expect(back.width).toBe(width);
    expect(back.height).toBe(height);
    expect(Array.from(back.data)).toEqual(Array.from(data));

    const path = join(tmp, 'written.png');
    await writePng(path, { width, height, data });
    const fromFile = await decodeImageFile(path);
    expect(Array.from(fromFile.data)).toEqual(Array.from(data));
  });

  it('encodePng rejects data of the wrong length', async () => {
    await expect(encodePng({ width: 2, height: 2, data: new Uint8Array(15) })).rejects.toThrow(
      /expected 16/,
    );
  });

  it('decodes JPEG', async () => {
    const jpg = await (await leftRedRightBlue()).jpeg({ quality: 95 }).toBuffer();
    const img = await decodeImage(jpg, 'a.jpg');
    expect([img.width, img.height]).toEqual([40, 20]);
    expectClose(px(img, 5, 10), [255, 0, 0, 255], 8);
    expectClose(px(img, 35, 10), [0, 0, 255, 255], 8);
  });

  it('decodes lossless WebP exactly, with alpha', async () => {
    const src = await sharp({
      create: {
        width: 9,
        height: 5,
        channels: 4,
        background: { r: 10, g: 200, b: 30, alpha: 0.5 },
      },
    })
      .webp({ lossless: true })
      .toBuffer();
    const img = await decodeImage(src, 'a.webp');
    expect([img.width, img.height]).toEqual([9, 5]);
    expect(px(img, 4, 2)).toEqual([10, 200, 30, 128]);
  });

  it('decodes the first frame of an animated GIF', async () => {
    const frames = [
      await solid(10, 8, RED).png().toBuffer(),
      await solid(10, 8, BLUE).png().toBuffer(),
    ];
    const gif = await sharp(frames, { join: { animated: true } })
      .gif()
      .toBuffer();
    expect((await sharp(gif).metadata()).pages).toBe(2);
    const img = await decodeImage(gif, 'anim.gif');
    expect([img.width, img.height]).toEqual([10, 8]);
    expect(px(img, 0, 0)).toEqual([255, 0, 0, 255]);
    expect(px(img, 9, 7)).toEqual([255, 0, 0, 255]);
  });

  it('honours EXIF orientation 6 (rotated 90 degrees clockwise, width and height swapped)', async () => {
    const jpg = await (
      await leftRedRightBlue()
    )
      .jpeg({ quality: 95 })
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const meta = await sharp(jpg).metadata();
    expect([meta.orientation, meta.width, meta.height]).toEqual([6, 40, 20]);
    const img = await decodeImage(jpg, 'rotated.jpg');
    expect([img.width, img.height]).toEqual([20, 40]);
    // The stored left (red) half is displayed on top after a clockwise quarter turn.
    expectClose(px(img, 10, 5), [255, 0, 0, 255], 8);
    expectClose(px(img, 10, 35), [0, 0, 255, 255], 8);
  });

  it('honours EXIF orientation 3 (rotated 180 degrees)', async () => {
    const jpg = await (
      await leftRedRightBlue()
    )
      .jpeg({ quality: 95 })
      .withMetadata({ orientation: 3 })
      .toBuffer();
    const img = await decodeImage(jpg, 'upside-down.jpg');
    expect([img.width, img.height]).toEqual([40, 20]);
    expectClose(px(img, 5, 10), [0, 0, 255, 255], 8);
    expectClose(px(img, 35, 10), [255, 0, 0, 255], 8);
  });

  it('converts grey+alpha PNG, 16-bit PNG and CMYK JPEG to 8-bit sRGB RGBA', async () => {
    const grey = await sharp({
      create: {
        width: 3,
        height: 3,
        channels: 4,
        background: { r: 100, g: 100, b: 100, alpha: 0.5 },
      },
    })
      .toColourspace('b-w')
      .png()
      .toBuffer();
    expect((await sharp(grey).metadata()).channels).toBe(2);
    expect(px(await decodeImage(grey, 'grey.png'), 1, 1)).toEqual([100, 100, 100, 128]);

    const deep = await solid(3, 3, { r: 200, g: 100, b: 50 })
      .toColourspace('rgb16')
      .png()
      .toBuffer();
    expect((await sharp(deep).metadata()).depth).toBe('ushort');
    const deepImg = await decodeImage(deep, 'deep.png');
    expect(deepImg.data.byteLength).toBe(3 * 3 * 4);
    expect(px(deepImg, 2, 2)).toEqual([200, 100, 50, 255]);

    const cmyk = await solid(4, 4, { r: 200, g: 50, b: 10 })
      .toColourspace('cmyk')
      .jpeg()
      .toBuffer();
    expect((await sharp(cmyk).metadata()).space).toBe('cmyk');
    expectClose(px(await decodeImage(cmyk, 'cmyk.jpg'), 1, 1), [200, 50, 10, 255], 16);
  });

  it('decodes a 32-bit BMP with alpha', async () => {
    const src = new Uint8Array(5 * 3 * 4);
    for (let i = 0; i < src.length; i++) src[i] = (i * 53) % 256;
    const bmp = await Transformer.fromRgbaPixels(src, 5, 3).bmp();
    expect(bmp.subarray(0, 2).toString('latin1')).toBe('BM');
    const img = await decodeImage(bmp, 'rgba.bmp');
    expect([img.width, img.height]).toEqual([5, 3]);
    expect(Array.from(img.data)).toEqual(Array.from(src));
  });

  it.each([
    [8, false],
    [8, true],
    [4, false],
    [4, true],
  ] as const)('decodes a %i-bit palette BMP (top-down: %s), odd width', async (bits, topDown) => {
    const palette = [
      [0, 0, 0],
      [255, 0, 0],
      [0, 255, 0],
      [0, 0, 255],
      [255, 255, 255],
    ];
    const index = (x: number, y: number) => (x + 2 * y) % palette.length;
    const img = await decodeImage(paletteBmp(bits, 7, 3, palette, index, topDown), 'pal.bmp');
    expect([img.width, img.height]).toEqual([7, 3]);
    for (let y = 0; y < 3; y++) {
      for (let x = 0; x < 7; x++)
        expect(px(img, x, y), `${x},${y}`).toEqual([...palette[index(x, y)], 255]);
    }
  });
});
