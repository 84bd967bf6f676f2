import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';
import { Transformer } from '@napi-rs/image';
import sharp, { type Sharp } from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodeImage,
  decodeImageFile,
  encodePng,
  ImageDecodeError,
  MAX_PIXELS,
  writePng,
  type RgbaImage,
} from './image-io.js';
import { writePixelFixtures } from './testing/pixel-fixtures.js';
import { resizeRgba } from '@gradcam-explorer/core';

const SHARED_IMAGES = resolve(
  process.env.GRADCAM_SHARED_DIR ??
    resolve(dirname(fileURLToPath(import.meta.url)), '../../../../shared'),
  'images',
);

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

function solid(width: number, height: number, rgb: { r: number; g: number; b: number }) {
  return sharp({ create: { width, height, channels: 3, background: rgb } });
}

const RED = { r: 255, g: 0, b: 0 };
const BLUE = { r: 0, g: 0, b: 255 };

/** 40x20 image: left half red, right half blue. */
async function leftRedRightBlue(): Promise<Sharp> {
  const blue = await solid(20, 20, BLUE).png().toBuffer();
  return solid(40, 20, RED).composite([{ input: blue, left: 20, top: 0 }]);
}

async function expectDecodeError(
  p: Promise<unknown>,
  reason: ImageDecodeError['reason'],
  name: string,
): Promise<ImageDecodeError> {
  const err = await p.then(
    () => {
      throw new Error('expected an ImageDecodeError');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ImageDecodeError);
  const e = err as ImageDecodeError;
  expect(e.reason, e.message).toBe(reason);
  expect(e.message).toContain(name);
  return e;
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

describe('decodeImage: bad input', () => {
  it('rejects a text file named .jpg', async () => {
    const path = join(tmp, 'notes.jpg');
    await writeFile(path, 'this is not a picture\n');
    const e = await expectDecodeError(decodeImageFile(path), 'not-an-image', 'notes.jpg');
    expect(e.message).toMatch(/not an image/);
  });

  it('rejects an empty file', async () => {
    const path = join(tmp, 'empty.png');
    await writeFile(path, new Uint8Array(0));
    await expectDecodeError(decodeImageFile(path), 'empty', 'empty.png');
    await expectDecodeError(decodeImage(new Uint8Array(0), 'mem.png'), 'empty', 'mem.png');
  });

  it('rejects a missing file and a directory', async () => {
    await expectDecodeError(decodeImageFile(join(tmp, 'nope.jpg')), 'unreadable', 'nope.jpg');
    await expectDecodeError(decodeImageFile(tmp), 'unreadable', tmp);
  });

  it.each(['jpeg', 'png', 'webp', 'gif', 'bmp'] as const)('rejects a truncated %s', async (fmt) => {
    const img = await leftRedRightBlue();
    const full =
      fmt === 'bmp'
        ? await Transformer.fromRgbaPixels(await img.ensureAlpha().raw().toBuffer(), 40, 20).bmp()
        : await img.toFormat(fmt).toBuffer();
    // Whole file decodes; the first 60% does not.
    await expect(decodeImage(full, `whole.${fmt}`)).resolves.toMatchObject({ width: 40 });
    const cut = full.subarray(0, Math.floor(full.length * 0.6));
    await expectDecodeError(decodeImage(cut, `cut.${fmt}`), 'corrupt', `cut.${fmt}`);
  });

  it.each([
    ['tiff', (s: Sharp) => s.tiff()],
    ['avif', (s: Sharp) => s.avif()],
  ] as const)('rejects a real image in an unsupported format (%s)', async (fmt, enc) => {
    const bytes = await enc(solid(8, 8, RED)).toBuffer();
    const e = await expectDecodeError(
      decodeImage(bytes, `x.${fmt}`),
      'unsupported-format',
      `x.${fmt}`,
    );
    expect(e.message).toMatch(/supported: JPEG, PNG, BMP, WebP, GIF/);
  });

  describe('rejects 30000x30000 images from the header, before decoding', () => {
    const W = 30000;
    expect(W * W).toBeGreaterThan(MAX_PIXELS);

    async function expectTooLarge(bytes: Uint8Array, name: string): Promise<void> {
      const rss = process.memoryUsage().rss;
      const t0 = performance.now();
      const e = await expectDecodeError(decodeImage(bytes, name), 'too-large', name);
      expect(e.message).toContain('30000x30000');
      expect(performance.now() - t0).toBeLessThan(2000);
      // Decoding would need 3.6 GB; reading the header needs next to nothing.
      expect(process.memoryUsage().rss - rss).toBeLessThan(200e6);
    }

    it('JPEG (SOF0 dimensions patched)', async () => {
      const jpg = Buffer.from(await solid(16, 16, RED).jpeg({ mozjpeg: false }).toBuffer());
      // Walk the marker segments to the start-of-frame (ITU T.81 B.2.2): [FF C0 len P Y X].
      let i = 2;
      while (jpg[i + 1] !== 0xc0) i += 2 + jpg.readUInt16BE(i + 2);
      jpg.writeUInt16BE(W, i + 5);
      jpg.writeUInt16BE(W, i + 7);
      await expectTooLarge(jpg, 'huge.jpg');
    });

    it('PNG (IHDR patched, CRC fixed)', async () => {
      const png = Buffer.from(await solid(16, 16, RED).png().toBuffer());
      // IHDR data at 16..29, its CRC over type+data at 29 (PNG spec 5.3).
      png.writeUInt32BE(W, 16);
      png.writeUInt32BE(W, 20);
      png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
      await expectTooLarge(png, 'huge.png');
    });

    it('BMP (info header patched)', async () => {
      const bmp = Buffer.from(
        await Transformer.fromRgbaPixels(new Uint8Array(16 * 16 * 4), 16, 16).bmp(),
      );
      bmp.writeInt32LE(W, 18);
      bmp.writeInt32LE(-W, 22);
      await expectTooLarge(bmp, 'huge.bmp');
    });
  });
});

describe.skipIf(!existsSync(SHARED_IMAGES))(`shared photos (${SHARED_IMAGES})`, () => {
  it.each([
    ['cat.bmp', 512, 341],
    ['bird.bmp', 512, 343],
    ['dragonfly.bmp', 512, 418],
    ['grace_hopper.bmp', 512, 600],
    ['parrot.jpg', 512, 929],
    ['hot_dog.jpg', 512, 384],
    ['kite_and_cold.jpg', 1352, 900],
    ['both.png', 224, 224],
  ])('%s decodes to %ix%i', async (file, width, height) => {
    const img = await decodeImageFile(join(SHARED_IMAGES, file));
    expect([img.width, img.height]).toEqual([width, height]);
    expect(img.data.byteLength).toBe(width * height * 4);
    expect(img.data[3]).toBe(255);
  });

  it('grace_hopper.bmp matches a direct read of its 24-bit bottom-up rows', async () => {
    const bytes = await readFile(join(SHARED_IMAGES, 'grace_hopper.bmp'));
    const offset = bytes.readUInt32LE(10);
    const [w, h] = [bytes.readInt32LE(18), bytes.readInt32LE(22)];
    expect(bytes.readUInt16LE(28)).toBe(24);
    const stride = Math.ceil((w * 3) / 4) * 4;
    const img = await decodeImage(bytes, 'grace_hopper.bmp');
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const s = offset + (h - 1 - y) * stride + x * 3;
        const d = (y * w + x) * 4;
        if (
          img.data[d] !== bytes[s + 2] ||
          img.data[d + 1] !== bytes[s + 1] ||
          img.data[d + 2] !== bytes[s] ||
          img.data[d + 3] !== 255
        ) {
          expect.fail(`pixel ${x},${y} differs`);
        }
      }
    }
  });
});

describe('pixels as Keras sees them (PIL: Image.open(f).convert("RGB"))', () => {
  const py = '/usr/bin/python3';
  // Keras' load_img: PIL ignores the embedded ICC profile; convert('RGB') drops alpha and keeps the
  // stored colours of transparent pixels. Then the app's resize, Pillow's BILINEAR to 224x224.
  const script = [
    'import base64, json, sys',
    'from PIL import Image',
    'out = {}',
    'for p in sys.argv[1:]:',
    "    im = Image.open(p).convert('RGB')",
    '    small = im.resize((224, 224), Image.BILINEAR)',
    '    out[p] = {"size": im.size, "rgb": base64.b64encode(im.tobytes()).decode(),',
    '              "rgb224": base64.b64encode(small.tobytes()).decode()}',
    'print(json.dumps(out))',
  ].join('\n');

  const rgbOf = (img: RgbaImage) => Buffer.from(img.data.filter((_, i) => i % 4 !== 3));

  it('decodes each hard fixture to exactly the RGB values PIL reads, also after resizing', async (ctx) => {
    const fixtures = await writePixelFixtures(join(tmp, 'pixels'));
    let ref: Record<string, { size: [number, number]; rgb: string; rgb224: string }>;
    try {
      ref = JSON.parse(
        execFileSync(py, ['-c', script, ...fixtures.map((f) => f.path)], {
          encoding: 'utf8',
          maxBuffer: 1 << 28,
        }),
      );
    } catch (e) {
      console.log(`skipped: ${py} has no usable Pillow (${(e as Error).message.split('\n')[0]})`);
      ctx.skip();
      return;
    }
    for (const f of fixtures) {
      const ours = await decodeImageFile(f.path);
      const want = ref[f.path]!;
      expect([ours.width, ours.height], f.what).toEqual(want.size);
      const rgb = rgbOf(ours);
      const expected = Buffer.from(want.rgb, 'base64');
      expect(rgb.equals(expected), `${f.what}: decoded RGB equals PIL's`).toBe(true);
      const small = rgbOf(resizeRgba(ours, 224, 224));
      expect(small.equals(Buffer.from(want.rgb224, 'base64')), `${f.what}: 224x224`).toBe(true);
    }
  });
});

describe('writePng never leaves a partial PNG under the final name', () => {
  it('the final name appears only once complete, and no temporary file stays', async () => {
    // 2500x2500 noise: a PNG of about 25 MB, written in many chunks.
    const width = 2500;
    const data = new Uint8ClampedArray(width * width * 4);
    let seed = 7;
    for (let i = 0; i < data.length; i++) data[i] = (seed = (seed * 16807) % 2147483647) & 255;
    const dir = await mkdtemp(join(tmp, 'write-'));
    const path = join(dir, 'map.png');
    const sizes: number[] = [];
    let writing = true;
    const watch = (async () => {
      while (writing) {
        try {
          sizes.push((await stat(path)).size);
        } catch {
          // Not there yet.
        }
        await new Promise((r) => setImmediate(r));
      }
    })();
    await writePng(path, { width, height: width, data });
    writing = false;
    await watch;
    const final = (await stat(path)).size;
    expect(final).toBeGreaterThan(10_000_000);
    expect(sizes.filter((s) => s !== final)).toEqual([]);
    expect(await readdir(dir)).toEqual(['map.png']);
  });

  it('a failed write leaves neither the final name nor a temporary file', async () => {
    const dir = await mkdtemp(join(tmp, 'write-'));
    const path = join(dir, 'taken');
    await mkdir(path);
    const img = { width: 2, height: 2, data: new Uint8ClampedArray(16) };
    await expect(writePng(path, img)).rejects.toThrow();
    expect(await readdir(dir)).toEqual(['taken']);
  });
});
