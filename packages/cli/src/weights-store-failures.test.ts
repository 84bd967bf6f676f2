// The weights store's downloads that fail: short, corrupt, cut and refused transfers, HTTP errors,
// cancelling and being offline each give a WeightsError that says what to do, and leave nothing
// in the cache.
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { downloadWeights, type DownloadProgress } from './weights-store/index.js';
import {
  BYTES,
  CHUNK,
  ENV,
  expectFolderEmpty,
  expectWeightsError,
  FILE,
  MD5,
  remedyIn,
  useWeightsOrigin,
  WEIGHTS,
} from './testing/weights-origin.js';

const fx = useWeightsOrigin();

/** The cache folder holds nothing (no final file, no .part). */
const expectCacheEmpty = () => expectFolderEmpty(fx.cache);

describe('downloadWeights', () => {
  it('a body shorter than its Content-Length is an interrupted transfer', async () => {
    // A proxy or fetch implementation that ends the body quietly instead of failing.
    const short: typeof fetch = async () =>
      new Response(BYTES.subarray(0, 1000), {
        headers: { 'content-length': String(BYTES.length) },
      });
    const e = await expectWeightsError(
      downloadWeights(WEIGHTS, { cacheDir: fx.cache, env: ENV, fetch: short }),
      'interrupted',
    );
    expect(e.message).toContain(`after 1000 of ${BYTES.length} bytes`);
    await expectCacheEmpty();
  });

  it('hash mismatch: error with both hashes, nothing left in the cache', async () => {
    const e = await expectWeightsError(
      downloadWeights(WEIGHTS, { baseUrl: `${fx.origin}/corrupt`, cacheDir: fx.cache, env: ENV }),
      'hash-mismatch',
    );
    const actual = createHash('md5')
      .update(Buffer.from(BYTES).fill(BYTES[1000] ^ 0xff, 1000, 1001))
      .digest('hex');
    expect(e.message).toContain(FILE);
    expect(e.message).toContain(`${fx.origin}/corrupt/${FILE}`);
    expect(e.message).toContain(`expected ${MD5}`);
    expect(e.message).toContain(actual);
    remedyIn(e.message);
    await expectCacheEmpty();
  });

  it('connection closed midway: error, nothing left', async () => {
    const events: DownloadProgress[] = [];
    const e = await expectWeightsError(
      downloadWeights(WEIGHTS, {
        baseUrl: `${fx.origin}/cut`,
        cacheDir: fx.cache,
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
      downloadWeights(WEIGHTS, { baseUrl: `${fx.origin}/${route}`, cacheDir: fx.cache, env: ENV }),
      'http',
    );
    expect(e.message).toContain(`HTTP ${status}`);
    expect(e.message).toContain(`${fx.origin}/${route}/${FILE}`);
    expect(e.url).toBe(`${fx.origin}/${route}/${FILE}`);
    remedyIn(e.message);
    await expectCacheEmpty();
  });

  it('abort mid-transfer via AbortSignal: nothing left', async () => {
    const ac = new AbortController();
    let partSeen = false;
    const e = await expectWeightsError(
      downloadWeights(WEIGHTS, {
        baseUrl: `${fx.origin}/slow`,
        cacheDir: fx.cache,
        env: ENV,
        signal: ac.signal,
        onProgress: (p) => {
          if (p.receivedBytes >= 2 * CHUNK && !ac.signal.aborted) {
            readdir(fx.cache).then((names) => {
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
        baseUrl: `${fx.origin}/ok`,
        cacheDir: fx.cache,
        env: ENV,
        signal: AbortSignal.abort(),
      }),
      'aborted',
    );
    expect(fx.requests).toEqual([]);
  });

  it('connection refused: says the machine appears to be offline', async () => {
    const closed = createServer();
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((done) => closed.close(done));
    const e = await expectWeightsError(
      downloadWeights(WEIGHTS, {
        baseUrl: `http://127.0.0.1:${port}/`,
        cacheDir: fx.cache,
        env: ENV,
      }),
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
      downloadWeights(WEIGHTS, { cacheDir: fx.cache, env: ENV, fetch: dnsFailure }),
      'offline',
    );
    expect(e.message).toContain('storage.example.invalid (ENOTFOUND)');
    expect(e.message).toMatch(/appears to be offline/);
  });
});
