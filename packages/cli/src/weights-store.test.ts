import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getModelSpec } from '@gradcam-explorer/core';
import {
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  symlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  cacheDir,
  downloadUrl,
  downloadWeights,
  listCached,
  resolveWeights,
  WeightsError,
  type DownloadProgress,
  type OfficialWeights,
} from './weights-store.js';
import { findRealWeights } from '../../core/src/testing/node.js';

const BYTES = randomBytes(300_000);
const MD5 = createHash('md5').update(BYTES).digest('hex');
const SHA256 = createHash('sha256').update(BYTES).digest('hex');
const FILE = 'test_weights_tf_dim_ordering_tf_kernels.h5';
const CHUNK = 16_384;

/** Official-looking entry; tests point `baseUrl` at the local server's routes. */
const WEIGHTS: OfficialWeights = {
  fileName: FILE,
  url: `https://storage.example.invalid/keras-applications/test/${FILE}`,
  hash: { algorithm: 'md5', value: MD5 },
  bytes: BYTES.length,
};

let server: Server;
let origin: string;
/** Request paths seen by the server in the current test. */
let requests: string[] = [];

function sendChunks(res: ServerResponse, data: Buffer, stopAfter = data.length, delayMs = 0): void {
  let off = 0;
  const next = () => {
    if (res.destroyed) return;
    if (off >= stopAfter) {
      if (stopAfter < data.length)
        res.socket?.destroy(); // connection closed midway
      else res.end();
      return;
    }
    const end = Math.min(off + CHUNK, stopAfter);
    res.write(data.subarray(off, end));
    off = end;
    setTimeout(next, delayMs);
  };
  next();
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = req.url ?? '';
    requests.push(url);
    const route = url.split('/')[1];
    // Any file name: /any serves random bytes, /real the shared MobileNetV2 weights.
    if (route === 'any') {
      res.writeHead(200, { 'content-length': BYTES.length });
      return sendChunks(res, BYTES);
    }
    if (route === 'real') {
      void readFile(findRealWeights(getModelSpec('mobilenet_v2').weights.fileName).path!).then(
        (b) => res.writeHead(200, { 'content-length': b.length }).end(b),
      );
      return;
    }
    if (!url.endsWith(`/${FILE}`)) {
      res.writeHead(404).end('not found');
      return;
    }
    switch (route) {
      case 'ok':
        res.writeHead(200, { 'content-length': BYTES.length });
        return sendChunks(res, BYTES);
      case 'chunked': // no Content-Length
        res.writeHead(200);
        return sendChunks(res, BYTES);
      case 'corrupt': {
        const bad = Buffer.from(BYTES);
        bad[1000] ^= 0xff;
        res.writeHead(200, { 'content-length': bad.length });
        return sendChunks(res, bad);
      }
      case 'cut':
        res.writeHead(200, { 'content-length': BYTES.length });
        return sendChunks(res, BYTES, 5 * CHUNK);
      case 'slow':
        res.writeHead(200, { 'content-length': BYTES.length });
        return sendChunks(res, BYTES, BYTES.length, 50);
      case 'error':
        res.writeHead(500, 'Internal Server Error').end();
        return;
      default:
        res.writeHead(404, 'Not Found').end();
    }
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
});

let root: string;
let cache: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'gradcam-weights-'));
  cache = join(root, 'cache');
  requests = [];
  return () => rm(root, { recursive: true, force: true });
});

/** Environment without the developer's own GRADCAM_* settings. */
const ENV: NodeJS.ProcessEnv = { HOME: '/home/nobody' };

async function expectWeightsError(p: Promise<unknown>, code: WeightsError['code']) {
  const err = await p.then(
    () => {
      throw new Error('expected a WeightsError');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WeightsError);
  const e = err as WeightsError;
  expect(e.code, e.message).toBe(code);
  return e;
}

/** The cache folder holds nothing (no final file, no .part). */
async function expectCacheEmpty(): Promise<void> {
  const names = await readdir(cache).catch(() => []);
  expect(names).toEqual([]);
}

function remedyIn(message: string): void {
  expect(message).toContain('GRADCAM_WEIGHTS_DIR');
  expect(message).toContain('--weights <file>');
}

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
      baseUrl: `${origin}/ok`,
      cacheDir: cache,
      env: ENV,
      onProgress: (p) => events.push(p),
      onWarning: (w) => warnings.push(w),
    });
    expect(path).toBe(join(cache, FILE));
    expect(
      createHash('md5')
        .update(await readFile(path))
        .digest('hex'),
    ).toBe(MD5);
    expect(await readdir(cache)).toEqual([FILE]);
    expect(warnings).toEqual([]);
    expect(requests).toEqual([`/ok/${FILE}`]);

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
        baseUrl: `${origin}/chunked`,
        cacheDir: cache,
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
        baseUrl: `${origin}/chunked`,
        cacheDir: cache,
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

  it('a body shorter than its Content-Length is an interrupted transfer', async () => {
    // A proxy or fetch implementation that ends the body quietly instead of failing.
    const short: typeof fetch = async () =>
      new Response(BYTES.subarray(0, 1000), {
        headers: { 'content-length': String(BYTES.length) },
      });
    const e = await expectWeightsError(
      downloadWeights(WEIGHTS, { cacheDir: cache, env: ENV, fetch: short }),
      'interrupted',
    );
    expect(e.message).toContain(`after 1000 of ${BYTES.length} bytes`);
    await expectCacheEmpty();
  });

  it('takes the base URL from GRADCAM_WEIGHTS_BASE_URL', async () => {
    await downloadWeights(WEIGHTS, {
      cacheDir: cache,
      env: { ...ENV, GRADCAM_WEIGHTS_BASE_URL: `${origin}/ok/` },
    });
    expect(requests).toEqual([`/ok/${FILE}`]);
  });

  it('warns and accepts when no hash is published', async () => {
    const warnings: string[] = [];
    const path = await downloadWeights(
      { ...WEIGHTS, hash: null },
      { baseUrl: `${origin}/ok`, cacheDir: cache, env: ENV, onWarning: (w) => warnings.push(w) },
    );
    expect((await readFile(path)).equals(BYTES)).toBe(true);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/no hash/);
    expect(warnings[0]).toContain(FILE);
  });

  it('hash mismatch: error with both hashes, nothing left in the cache', async () => {
    const e = await expectWeightsError(
      downloadWeights(WEIGHTS, { baseUrl: `${origin}/corrupt`, cacheDir: cache, env: ENV }),
      'hash-mismatch',
    );
    const actual = createHash('md5')
      .update(Buffer.from(BYTES).fill(BYTES[1000] ^ 0xff, 1000, 1001))
      .digest('hex');
    expect(e.message).toContain(FILE);
    expect(e.message).toContain(`${origin}/corrupt/${FILE}`);
    expect(e.message).toContain(`expected ${MD5}`);
    expect(e.message).toContain(actual);
    remedyIn(e.message);
    await expectCacheEmpty();
  });

  it('connection closed midway: error, nothing left', async () => {
    const events: DownloadProgress[] = [];
    const e = await expectWeightsError(
      downloadWeights(WEIGHTS, {
        baseUrl: `${origin}/cut`,
        cacheDir: cache,
        env: ENV,
        onProgress: (p) => events.push(p),
      }),
      'interrupted',
    );
    expect(events.length).toBeGreaterThan(1);
    expect(e.message).toMatch(/interrupted|ended after/);
    remedyIn(e.message);
    await expectCacheEmpty();
  });

  it.each([
    ['missing', 404],
    ['error', 500],
  ])('HTTP error (%s → %i): error, nothing left', async (route, status) => {
    const e = await expectWeightsError(
      downloadWeights(WEIGHTS, { baseUrl: `${origin}/${route}`, cacheDir: cache, env: ENV }),
      'http',
    );
    expect(e.message).toContain(`HTTP ${status}`);
    expect(e.message).toContain(`${origin}/${route}/${FILE}`);
    expect(e.url).toBe(`${origin}/${route}/${FILE}`);
    remedyIn(e.message);
    await expectCacheEmpty();
  });

  it('abort mid-transfer via AbortSignal: nothing left', async () => {
    const ac = new AbortController();
    let partSeen = false;
    const e = await expectWeightsError(
      downloadWeights(WEIGHTS, {
        baseUrl: `${origin}/slow`,
        cacheDir: cache,
        env: ENV,
        signal: ac.signal,
        onProgress: (p) => {
          if (p.receivedBytes >= 2 * CHUNK && !ac.signal.aborted) {
            readdir(cache).then((names) => {
              partSeen = names.some((n) => /\.[0-9a-f]+\.part$/.test(n));
              ac.abort();
            });
          }
        },
      }),
      'aborted',
    );
    expect(partSeen).toBe(true);
    expect(e.message).toContain('cancelled');
    await expectCacheEmpty();
  });

  it('abort before the start: no request made', async () => {
    await expectWeightsError(
      downloadWeights(WEIGHTS, {
        baseUrl: `${origin}/ok`,
        cacheDir: cache,
        env: ENV,
        signal: AbortSignal.abort(),
      }),
      'aborted',
    );
    expect(requests).toEqual([]);
  });

  it('connection refused: says the machine appears to be offline', async () => {
    const closed = createServer();
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((done) => closed.close(done));
    const e = await expectWeightsError(
      downloadWeights(WEIGHTS, { baseUrl: `http://127.0.0.1:${port}/`, cacheDir: cache, env: ENV }),
      'offline',
    );
    expect(e.message).toContain('ECONNREFUSED');
    expect(e.message).toMatch(/appears to be offline/);
    remedyIn(e.message);
    await expectCacheEmpty();
  });

  it('DNS failure (as undici reports it): says the machine appears to be offline', async () => {
    const dnsFailure: typeof fetch = async () => {
      const cause = Object.assign(new Error('getaddrinfo ENOTFOUND storage.example.invalid'), {
        code: 'ENOTFOUND',
      });
      throw new TypeError('fetch failed', { cause });
    };
    const e = await expectWeightsError(
      downloadWeights(WEIGHTS, { cacheDir: cache, env: ENV, fetch: dnsFailure }),
      'offline',
    );
    expect(e.message).toContain('storage.example.invalid (ENOTFOUND)');
    expect(e.message).toMatch(/appears to be offline/);
  });

  it('concurrent downloads of the same file do not corrupt each other', async () => {
    const opts = { baseUrl: `${origin}/slow`, cacheDir: cache, env: ENV };
    const paths = await Promise.all([
      downloadWeights(WEIGHTS, opts),
      downloadWeights(WEIGHTS, opts),
      downloadWeights(WEIGHTS, { ...opts, baseUrl: `${origin}/ok` }),
    ]);
    expect(new Set(paths)).toEqual(new Set([join(cache, FILE)]));
    expect(requests).toHaveLength(3);
    expect((await readFile(join(cache, FILE))).equals(BYTES)).toBe(true);
    expect(await readdir(cache)).toEqual([FILE]);
  });

  it('removes .part files left a day ago by a killed download, keeps fresh ones', async () => {
    await mkdir(cache, { recursive: true });
    const stale = join(cache, `${FILE}.0123abcd.part`);
    const fresh = join(cache, `${FILE}.89abcdef.part`);
    const other = join(cache, 'other.h5.0123abcd.part');
    for (const p of [stale, fresh, other]) await writeFile(p, 'x');
    const old = new Date(Date.now() - 2 * 24 * 3600 * 1000);
    await utimes(stale, old, old);
    await utimes(other, old, old);
    await downloadWeights(WEIGHTS, { baseUrl: `${origin}/ok`, cacheDir: cache, env: ENV });
    expect((await readdir(cache)).sort()).toEqual(
      [FILE, `${FILE}.89abcdef.part`, 'other.h5.0123abcd.part'].sort(),
    );
  });
});

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
    const envDir = join(root, 'envdir');
    await put(envDir, 'env');
    await put(cache, 'cache');
    const file = join(root, 'mine.h5');
    await writeFile(file, 'not the published bytes');
    const r = await resolveWeights(WEIGHTS, {
      file,
      cacheDir: cache,
      env: { ...ENV, GRADCAM_WEIGHTS_DIR: envDir },
      download: true,
      fetch: noFetch,
    });
    expect(r).toEqual({ path: file, source: 'file' });
  });

  it('a missing explicit file is an error, even when other copies exist', async () => {
    await put(cache, 'cache');
    const e = await expectWeightsError(
      resolveWeights(WEIGHTS, { file: join(root, 'nope.h5'), cacheDir: cache, env: ENV }),
      'not-found',
    );
    expect(e.message).toContain('nope.h5');
  });

  it('GRADCAM_WEIGHTS_DIR next, trusted without hashing, before the cache', async () => {
    const envDir = join(root, 'envdir');
    const path = await put(envDir, 'different bytes, different hash');
    await put(cache, 'cache');
    const r = await resolveWeights(WEIGHTS, {
      cacheDir: cache,
      env: { ...ENV, GRADCAM_WEIGHTS_DIR: envDir },
      download: true,
      fetch: noFetch,
    });
    expect(r).toEqual({ path, source: 'env-dir' });
  });

  it('then the cache (GRADCAM_WEIGHTS_DIR without the file is skipped)', async () => {
    const path = await put(cache, 'cache');
    await mkdir(join(root, 'empty'));
    const r = await resolveWeights(WEIGHTS, {
      cacheDir: cache,
      env: { ...ENV, GRADCAM_WEIGHTS_DIR: join(root, 'empty') },
      download: true,
      fetch: noFetch,
    });
    expect(r).toEqual({ path, source: 'cache' });
  });

  it('then a download, which later runs find in the cache', async () => {
    const opts = { cacheDir: cache, env: ENV, baseUrl: `${origin}/ok`, download: true };
    expect(await resolveWeights(WEIGHTS, opts)).toEqual({
      path: join(cache, FILE),
      source: 'download',
    });
    expect(await resolveWeights(WEIGHTS, opts)).toEqual({
      path: join(cache, FILE),
      source: 'cache',
    });
    expect(requests).toHaveLength(1);
  });

  it('without download and nothing local: error naming where it looked and what to do', async () => {
    const envDir = join(root, 'envdir');
    await mkdir(envDir);
    const e = await expectWeightsError(
      resolveWeights(WEIGHTS, {
        cacheDir: cache,
        env: { ...ENV, GRADCAM_WEIGHTS_DIR: envDir },
        fetch: noFetch,
      }),
      'not-found',
    );
    expect(e.message).toContain(envDir);
    expect(e.message).toContain(cache);
    remedyIn(e.message);
    expect(requests).toEqual([]);
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
    const envDir = join(root, 'envdir');
    const cached = await put(cache, 'x');
    await mkdir(envDir);
    await writeFile(join(envDir, 'other.h5'), 'y');
    const list = await listCached([WEIGHTS, other, third], {
      cacheDir: cache,
      env: { ...ENV, GRADCAM_WEIGHTS_DIR: envDir },
    });
    expect([...list.entries()]).toEqual([
      [FILE, { path: cached, source: 'cache' }],
      ['other.h5', { path: join(envDir, 'other.h5'), source: 'env-dir' }],
    ]);
  });

  it('GRADCAM_WEIGHTS_DIR naming a missing folder (or a file) is reported, not skipped', async () => {
    await put(cache, 'cache');
    for (const dir of [join(root, 'typo'), await put(join(root, 'f'), 'x')]) {
      const e = await expectWeightsError(
        resolveWeights(WEIGHTS, {
          cacheDir: cache,
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
    expect(requests).toEqual([]);
  });

  it('only regular files inside the folder count: a symlink to a file elsewhere is ignored', async () => {
    const envDir = join(root, 'envdir');
    await mkdir(envDir);
    const secret = await put(join(root, 'elsewhere'), 'root:x:0:0');
    await symlink(secret, join(envDir, FILE));
    await symlink('/etc/passwd', join(envDir, 'other.h5'));
    const other: OfficialWeights = {
      ...WEIGHTS,
      fileName: 'other.h5',
      url: 'https://x.test/other.h5',
    };
    const env = { ...ENV, GRADCAM_WEIGHTS_DIR: envDir };
    expect([...(await listCached([WEIGHTS, other], { cacheDir: cache, env })).keys()]).toEqual([]);
    // A link that stays inside the folder is fine (e.g. a versioned file name).
    await rm(join(envDir, FILE));
    await writeFile(join(envDir, 'v2.h5'), 'weights');
    await symlink('v2.h5', join(envDir, FILE));
    const list = await listCached([WEIGHTS], { cacheDir: cache, env });
    expect(list.get(FILE)).toEqual({ path: join(envDir, FILE), source: 'env-dir' });
  });

  it('redownload fetches again and replaces the cached copy only when complete', async () => {
    const old = await put(cache, 'damaged');
    const opts = { cacheDir: cache, env: ENV, baseUrl: `${origin}/ok`, redownload: true };
    expect(await resolveWeights(WEIGHTS, opts)).toEqual({ path: old, source: 'download' });
    expect(await readFile(old)).toEqual(BYTES);
    await writeFile(old, 'damaged');
    await expectWeightsError(
      resolveWeights(WEIGHTS, { ...opts, baseUrl: `${origin}/cut` }),
      'interrupted',
    );
    expect(await readFile(old, 'utf8')).toBe('damaged');
    expect(await readdir(cache)).toEqual([FILE]);
  });
});

describe('downloads of a known network are checked before they enter the cache', () => {
  const mnv2 = getModelSpec('mobilenet_v2').weights;
  const real = findRealWeights(mnv2.fileName);

  it('garbage with the right name (MobileNetV2 has no published hash) is refused', async () => {
    const e = await expectWeightsError(
      downloadWeights(mnv2, { cacheDir: cache, env: ENV, baseUrl: `${origin}/any` }),
      'invalid',
    );
    expect(e.message).toMatch(
      /^Could not download mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1\.0_224\.h5 from .*: the file received is not usable \(Weights file "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1\.0_224\.h5" is not an HDF5 file .*\); nothing was saved\./,
    );
    await expectCacheEmpty();
  });

  it.skipIf(!real.path)('the real file passes and is kept', async () => {
    const path = await downloadWeights(mnv2, {
      cacheDir: cache,
      env: ENV,
      baseUrl: `${origin}/real`,
    });
    expect(path).toBe(join(cache, mnv2.fileName));
    expect(await readdir(cache)).toEqual([mnv2.fileName]);
  });
});
