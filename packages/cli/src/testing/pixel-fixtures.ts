// Node-only test helper: small images whose pixels Keras (PIL) and a colour-managed or
// alpha-premultiplying decoder see differently, for the CLI-vs-PIL and CLI-vs-page parity tests.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';

export interface PixelFixture {
  name: string;
  path: string;
  /** What makes the file hard to decode as Keras does. */
  what: string;
}

/** A smooth, colourful RGB(A) test picture: saturated hues, where colour management moves most. */
function picture(width: number, height: number, alpha?: (x: number, y: number) => number) {
  const channels = alpha ? 4 : 3;
  const data = Buffer.alloc(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * channels;
      data[i] = Math.round((255 * x) / Math.max(1, width - 1));
      data[i + 1] = Math.round(255 * Math.abs(Math.sin((x + 2 * y) / 9)));
      data[i + 2] = Math.round((255 * y) / Math.max(1, height - 1));
      if (alpha) data[i + 3] = alpha(x, y);
    }
  }
  return sharp(data, { raw: { width, height, channels } });
}

/** Writes the fixtures into `dir` (created if needed) and lists them. */
export async function writePixelFixtures(dir: string): Promise<PixelFixture[]> {
  await mkdir(dir, { recursive: true });
  const out: PixelFixture[] = [];
  const add = async (name: string, what: string, bytes: Buffer) => {
    const path = join(dir, name);
    await writeFile(path, bytes);
    out.push({ name, path, what });
  };
  // withIccProfile converts the sRGB values into Display P3 and embeds that profile: the stored
  // values are what Keras reads; a colour-managed decoder converts them back towards sRGB.
  await add(
    'display-p3.jpg',
    'JPEG with an embedded Display P3 profile',
    await picture(96, 64).withIccProfile('p3').jpeg({ quality: 95 }).toBuffer(),
  );
  await add(
    'display-p3.png',
    'PNG with an embedded Display P3 profile',
    await picture(96, 64).withIccProfile('p3').png().toBuffer(),
  );
  await add(
    'transparent.png',
    'fully transparent PNG whose stored colours are a picture',
    await picture(80, 80, () => 0)
      .png()
      .toBuffer(),
  );
  await add(
    'alpha-ramp.png',
    'PNG with alpha from 0 to 255 across the picture',
    await picture(80, 80, (x) => Math.round((255 * x) / 79))
      .png()
      .toBuffer(),
  );
  await add(
    'wide.png',
    '10000x10 PNG (extreme aspect ratio)',
    await picture(10000, 10).png().toBuffer(),
  );
  return out;
}
