// decodeImage on real photos: the shared test photos, and the hard pixel fixtures compared with
// what Keras (PIL) reads, also after resizing to 224x224.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImage, decodeImageFile } from './image-io.js';
import { writePixelFixtures } from './testing/pixel-fixtures.js';
import { resizeRgba, type RgbaImage } from '@gradcam-explorer/core';

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
