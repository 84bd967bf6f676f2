// writePng is atomic: the final name appears only once the PNG is complete, and a failed write
// leaves nothing behind.
import { mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writePng } from './image-io.js';

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'gradcam-image-io-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
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
