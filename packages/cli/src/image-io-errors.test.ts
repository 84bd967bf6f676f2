// decodeImage on bad input: text, empty, missing, truncated and unsupported files each give an
// ImageDecodeError naming the file, and huge images are refused from the header alone.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { Transformer } from '@napi-rs/image';
import type { Sharp } from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImage, decodeImageFile, ImageDecodeError, MAX_PIXELS } from './image-io.js';
import { leftRedRightBlue, RED, solid } from './testing/image-samples.js';

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'gradcam-image-io-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

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
