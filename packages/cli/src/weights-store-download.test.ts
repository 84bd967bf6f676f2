// The weights store's downloads that succeed: the cache location and download URL, progress
// events, md5 and sha256 checks, concurrent downloads, stale .part files, and the check of a known
// network's file before it enters the cache.
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { getModelSpec } from '@gradcam-explorer/core';
import { describe, expect, it } from 'vitest';
import {
  cacheDir,
  downloadUrl,
  downloadWeights,
  type DownloadProgress,
} from './weights-store/index.js';
import { findRealWeights } from '../../core/src/testing/node.js';
import {
  BYTES,
  ENV,
  expectFolderEmpty,
  expectWeightsError,
  FILE,
  MD5,
  SHA256,
  useWeightsOrigin,
  WEIGHTS,
} from './testing/weights-origin.js';

const fx = useWeightsOrigin(findRealWeights(getModelSpec('mobilenet_v2').weights.fileName).path);

/** The cache folder holds nothing (no final file, no .part). */
const expectCacheEmpty = () => expectFolderEmpty(fx.cache);

describe('cacheDir and downloadUrl', () => {
  it('uses XDG_CACHE_HOME when absolute, else ~/.cache', () => {
    expect(cacheDir({ XDG_CACHE_HOME: '/x/cache', HOME: '/home/a' })).toBe(
      '/x/cache/gradcam-explorer/weights',
    );
    expect(cacheDir({ HOME: '/home/a' })).toBe('/home/a/.cache/gradcam-explorer/weights');
    expect(cacheDir({ XDG_CACHE_HOME: 'relative', HOME: '/home/a' })).toBe(
      '/home/a/.cache/gradcam-explorer/weights',
    );
  });

  it('replaces the URL folder with baseUrl or GRADCAM_WEIGHTS_BASE_URL', () => {
    expect(downloadUrl(WEIGHTS, { env: {} })).toBe(WEIGHTS.url);
    expect(downloadUrl(WEIGHTS, { baseUrl: 'http://m.test/w', env: {} })).toBe(
      `http://m.test/w/${FILE}`,
    );
    expect(downloadUrl(WEIGHTS, { env: { GRADCAM_WEIGHTS_BASE_URL: 'http://m.test/x/' } })).toBe(
      `http://m.test/x/${FILE}`,
    );
  });
});

describe('downloadWeights', () => {
  it('downloads, verifies the md5 and leaves only the final file', async () => {
    const events: DownloadProgress[] = [];
    const warnings: string[] = [];
    const path = await downloadWeights(WEIGHTS, {
      baseUrl: `${fx.origin}/ok`,
      cacheDir: fx.cache,
      env: ENV,
      onProgress: (p) => events.push(p),
      onWarning: (w) => warnings.push(w),
    });
    expect(path).toBe(join(fx.cache, FILE));
    expect(
      createHash('md5')
        .update(await readFile(path))
        .digest('hex'),
    ).toBe(MD5);
    expect(await readdir(fx.cache)).toEqual([FILE]);
    expect(warnings).toEqual([]);
    expect(fx.requests).toEqual([`/ok/${FILE}`]);

    // Progress: several events, monotonic, ending at totalBytes.
    expect(events.length).toBeGreaterThan(5);
    for (let i = 1; i < events.length; i++) {
      expect(events[i].receivedBytes).toBeGreaterThanOrEqual(events[i - 1].receivedBytes);
    }
    for (const e of events) {
      expect(e.totalBytes).toBe(BYTES.length);
      expect(e.bytesPerSecond).toBeGreaterThanOrEqual(0);
    }
    const last = events[events.length - 1];
    expect(last.receivedBytes).toBe(BYTES.length);
    expect(last.etaSeconds === null || last.etaSeconds === 0).toBe(true);
    expect(events.some((e) => e.bytesPerSecond > 0 && e.etaSeconds !== null)).toBe(true);
  });

  it('verifies sha256 too, and accepts a response without Content-Length', async () => {
    const events: DownloadProgress[] = [];
    const path = await downloadWeights(
      { ...WEIGHTS, hash: { algorithm: 'sha256', value: SHA256.toUpperCase() } },
      {
        baseUrl: `${fx.origin}/chunked`,
        cacheDir: fx.cache,
        env: ENV,
        onProgress: (p) => events.push(p),
      },
    );
    expect((await readFile(path)).equals(BYTES)).toBe(true);
    expect(events[events.length - 1]).toMatchObject({
      receivedBytes: BYTES.length,
      totalBytes: BYTES.length,
    });
  });

  it('without Content-Length, the last event corrects a wrong published size', async () => {
    const events: DownloadProgress[] = [];
    await downloadWeights(
      { ...WEIGHTS, bytes: 400_000 },
      {
        baseUrl: `${fx.origin}/chunked`,
        cacheDir: fx.cache,
        env: ENV,
        onProgress: (p) => events.push(p),
      },
    );
    expect(events[events.length - 2].totalBytes).toBe(400_000);
    expect(events[events.length - 1]).toMatchObject({
      receivedBytes: BYTES.length,
      totalBytes: BYTES.length,
      etaSeconds: 0,
    });
  });

  it('takes the base URL from GRADCAM_WEIGHTS_BASE_URL', async () => {
    await downloadWeights(WEIGHTS, {
      cacheDir: fx.cache,
      env: { ...ENV, GRADCAM_WEIGHTS_BASE_URL: `${fx.origin}/ok/` },
    });
    expect(fx.requests).toEqual([`/ok/${FILE}`]);
  });

  it('warns and accepts when no hash is published', async () => {
    const warnings: string[] = [];
    const path = await downloadWeights(
      { ...WEIGHTS, hash: null },
      {
        baseUrl: `${fx.origin}/ok`,
        cacheDir: fx.cache,
        env: ENV,
        onWarning: (w) => warnings.push(w),
      },
    );
    expect((await readFile(path)).equals(BYTES)).toBe(true);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/no hash/);
    expect(warnings[0]).toContain(FILE);
  });

  it('concurrent downloads of the same file do not corrupt each other', async () => {
    const opts = { baseUrl: `${fx.origin}/slow`, cacheDir: fx.cache, env: ENV };
    const paths = await Promise.all([
      downloadWeights(WEIGHTS, opts),
      downloadWeights(WEIGHTS, opts),
      downloadWeights(WEIGHTS, { ...opts, baseUrl: `${fx.origin}/ok` }),
    ]);
    expect(new Set(paths)).toEqual(new Set([join(fx.cache, FILE)]));
    expect(fx.requests).toHaveLength(3);
    expect((await readFile(join(fx.cache, FILE))).equals(BYTES)).toBe(true);
    expect(await readdir(fx.cache)).toEqual([FILE]);
  });

  it('removes .part files left a day ago by a killed download, keeps fresh ones', async () => {
    await mkdir(fx.cache, { recursive: true });
    const stale = join(fx.cache, `${FILE}.0123abcd.part`);
    const fresh = join(fx.cache, `${FILE}.89abcdef.part`);
    const other = join(fx.cache, 'other.h5.0123abcd.part');
    for (const p of [stale, fresh, other]) await writeFile(p, 'x');
    const old = new Date(Date.now() - 2 * 24 * 3600 * 1000);
    await utimes(stale, old, old);
    await utimes(other, old, old);
    await downloadWeights(WEIGHTS, { baseUrl: `${fx.origin}/ok`, cacheDir: fx.cache, env: ENV });
    expect((await readdir(fx.cache)).sort()).toEqual(
      [FILE, `${FILE}.89abcdef.part`, 'other.h5.0123abcd.part'].sort(),
    );
  });
});

describe('downloads of a known network are checked before they enter the cache', () => {
  const mnv2 = getModelSpec('mobilenet_v2').weights;
  const real = findRealWeights(mnv2.fileName);

  it('garbage with the right name (MobileNetV2 has no published hash) is refused', async () => {
    const e = await expectWeightsError(
      downloadWeights(mnv2, { cacheDir: fx.cache, env: ENV, baseUrl: `${fx.origin}/any` }),
      'invalid',
    );
    expect(e.message).toMatch(
      /^Could not download mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1\.0_224\.h5 from .*: the file received is not usable \(Weights file "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1\.0_224\.h5" is not an HDF5 file .*\); nothing was saved\./,
    );
    await expectCacheEmpty();
  });

  it.skipIf(!real.path)('the real file passes and is kept', async () => {
    const path = await downloadWeights(mnv2, {
      cacheDir: fx.cache,
      env: ENV,
      baseUrl: `${fx.origin}/real`,
    });
    expect(path).toBe(join(fx.cache, mnv2.fileName));
    expect(await readdir(fx.cache)).toEqual([mnv2.fileName]);
  });
});
