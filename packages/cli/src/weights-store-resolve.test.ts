// The weights store's lookup: an explicit file, then GRADCAM_WEIGHTS_DIR, then the cache, then a
// download; what listCached reports; GRADCAM_WEIGHTS_DIR mistakes and symlinks; redownloading.
import { mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { OfficialWeights } from '@gradcam-explorer/core';
import { describe, expect, it } from 'vitest';
import { listCached, resolveWeights } from './weights-store/index.js';
import {
  BYTES,
  ENV,
  expectWeightsError,
  FILE,
  remedyIn,
  useWeightsOrigin,
  WEIGHTS,
} from './testing/weights-origin.js';

const fx = useWeightsOrigin();

describe('resolveWeights and listCached', () => {
  const noFetch: typeof fetch = async () => {
    throw new Error('must not download');
  };

  async function put(dir: string, content: string | Buffer): Promise<string> {
    await mkdir(dir, { recursive: true });
    const path = join(dir, FILE);
    await writeFile(path, content);
    return path;
  }

  it('explicit file first, trusted without hashing', async () => {
    const envDir = join(fx.root, 'envdir');
    await put(envDir, 'env');
    await put(fx.cache, 'cache');
    const file = join(fx.root, 'mine.h5');
    await writeFile(file, 'not the published bytes');
    const r = await resolveWeights(WEIGHTS, {
      file,
      cacheDir: fx.cache,
      env: { ...ENV, GRADCAM_WEIGHTS_DIR: envDir },
      download: true,
      fetch: noFetch,
    });
    expect(r).toEqual({ path: file, source: 'file' });
  });

  it('a missing explicit file is an error, even when other copies exist', async () => {
    await put(fx.cache, 'cache');
    const e = await expectWeightsError(
      resolveWeights(WEIGHTS, { file: join(fx.root, 'nope.h5'), cacheDir: fx.cache, env: ENV }),
      'not-found',
    );
    expect(e.message).toContain('nope.h5');
  });

  it('GRADCAM_WEIGHTS_DIR next, trusted without hashing, before the cache', async () => {
    const envDir = join(fx.root, 'envdir');
    const path = await put(envDir, 'different bytes, different hash');
    await put(fx.cache, 'cache');
    const r = await resolveWeights(WEIGHTS, {
      cacheDir: fx.cache,
      env: { ...ENV, GRADCAM_WEIGHTS_DIR: envDir },
      download: true,
      fetch: noFetch,
    });
    expect(r).toEqual({ path, source: 'env-dir' });
  });

  it('then the cache (GRADCAM_WEIGHTS_DIR without the file is skipped)', async () => {
    const path = await put(fx.cache, 'cache');
    await mkdir(join(fx.root, 'empty'));
    const r = await resolveWeights(WEIGHTS, {
      cacheDir: fx.cache,
      env: { ...ENV, GRADCAM_WEIGHTS_DIR: join(fx.root, 'empty') },
      download: true,
      fetch: noFetch,
    });
    expect(r).toEqual({ path, source: 'cache' });
  });

  it('then a download, which later runs find in the cache', async () => {
    const opts = { cacheDir: fx.cache, env: ENV, baseUrl: `${fx.origin}/ok`, download: true };
    expect(await resolveWeights(WEIGHTS, opts)).toEqual({
      path: join(fx.cache, FILE),
      source: 'download',
    });
    expect(await resolveWeights(WEIGHTS, opts)).toEqual({
      path: join(fx.cache, FILE),
      source: 'cache',
    });
    expect(fx.requests).toHaveLength(1);
  });

  it('without download and nothing local: error naming where it looked and what to do', async () => {
    const envDir = join(fx.root, 'envdir');
    await mkdir(envDir);
    const e = await expectWeightsError(
      resolveWeights(WEIGHTS, {
        cacheDir: fx.cache,
        env: { ...ENV, GRADCAM_WEIGHTS_DIR: envDir },
        fetch: noFetch,
      }),
      'not-found',
    );
    expect(e.message).toContain(envDir);
    expect(e.message).toContain(fx.cache);
    remedyIn(e.message);
    expect(fx.requests).toEqual([]);
  });

  it('listCached reports the files available without a download', async () => {
    const other: OfficialWeights = {
      ...WEIGHTS,
      fileName: 'other.h5',
      url: 'https://x.test/other.h5',
    };
    const third: OfficialWeights = {
      ...WEIGHTS,
      fileName: 'third.h5',
      url: 'https://x.test/third.h5',
    };
    const envDir = join(fx.root, 'envdir');
    const cached = await put(fx.cache, 'x');
    await mkdir(envDir);
    await writeFile(join(envDir, 'other.h5'), 'y');
    const list = await listCached([WEIGHTS, other, third], {
      cacheDir: fx.cache,
      env: { ...ENV, GRADCAM_WEIGHTS_DIR: envDir },
    });
    expect([...list.entries()]).toEqual([
      [FILE, { path: cached, source: 'cache' }],
      ['other.h5', { path: join(envDir, 'other.h5'), source: 'env-dir' }],
    ]);
  });

  it('GRADCAM_WEIGHTS_DIR naming a missing folder (or a file) is reported, not skipped', async () => {
    await put(fx.cache, 'cache');
    for (const dir of [join(fx.root, 'typo'), await put(join(fx.root, 'f'), 'x')]) {
      const e = await expectWeightsError(
        resolveWeights(WEIGHTS, {
          cacheDir: fx.cache,
          env: { ...ENV, GRADCAM_WEIGHTS_DIR: dir },
          download: true,
          fetch: noFetch,
        }),
        'not-found',
      );
      expect(e.message).toBe(
        `GRADCAM_WEIGHTS_DIR is set to ${dir}, which is not a folder. Point it at the folder ` +
          'that holds the .h5 weights files, or unset it to use the cache and downloads.',
      );
    }
    expect(fx.requests).toEqual([]);
  });

  it('only regular files inside the folder count: a symlink to a file elsewhere is ignored', async () => {
    const envDir = join(fx.root, 'envdir');
    await mkdir(envDir);
    const secret = await put(join(fx.root, 'elsewhere'), 'root:x:0:0');
    await symlink(secret, join(envDir, FILE));
    await symlink('/etc/passwd', join(envDir, 'other.h5'));
    const other: OfficialWeights = {
      ...WEIGHTS,
      fileName: 'other.h5',
      url: 'https://x.test/other.h5',
    };
    const env = { ...ENV, GRADCAM_WEIGHTS_DIR: envDir };
    expect([...(await listCached([WEIGHTS, other], { cacheDir: fx.cache, env })).keys()]).toEqual(
      [],
    );
    // A link that stays inside the folder is fine (e.g. a versioned file name).
    await rm(join(envDir, FILE));
    await writeFile(join(envDir, 'v2.h5'), 'weights');
    await symlink('v2.h5', join(envDir, FILE));
    const list = await listCached([WEIGHTS], { cacheDir: fx.cache, env });
    expect(list.get(FILE)).toEqual({ path: join(envDir, FILE), source: 'env-dir' });
  });

  it('redownload fetches again and replaces the cached copy only when complete', async () => {
    const old = await put(fx.cache, 'damaged');
    const opts = { cacheDir: fx.cache, env: ENV, baseUrl: `${fx.origin}/ok`, redownload: true };
    expect(await resolveWeights(WEIGHTS, opts)).toEqual({ path: old, source: 'download' });
    expect(await readFile(old)).toEqual(BYTES);
    await writeFile(old, 'damaged');
    await expectWeightsError(
      resolveWeights(WEIGHTS, { ...opts, baseUrl: `${fx.origin}/cut` }),
      'interrupted',
    );
    expect(await readFile(old, 'utf8')).toBe('damaged');
    expect(await readdir(fx.cache)).toEqual([FILE]);
  });
});
