// Test helper for the weights store tests (weights-store-*.test.ts): a fake official weights file,
// a local download origin that serves it well or badly, and the checks on WeightsError and the
// cache folder.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OfficialWeights } from '@gradcam-explorer/core';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { WeightsError } from '../weights-store/index.js';

export const BYTES = randomBytes(300_000);
export const MD5 = createHash('md5').update(BYTES).digest('hex');
export const SHA256 = createHash('sha256').update(BYTES).digest('hex');
export const FILE = 'test_weights_tf_dim_ordering_tf_kernels.h5';
export const CHUNK = 16_384;

/** Official-looking entry; tests point `baseUrl` at the local server's routes. */
export const WEIGHTS: OfficialWeights = {
  fileName: FILE,
  url: `https://storage.example.invalid/keras-applications/test/${FILE}`,
  hash: { algorithm: 'md5', value: MD5 },
  bytes: BYTES.length,
};

/** Environment without the developer's own GRADCAM_* settings. */
export const ENV: NodeJS.ProcessEnv = { HOME: '/home/nobody' };

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

/**
 * For beforeAll: the download origin on a loopback port. `/<route>/FILE` serves BYTES well (ok,
 * chunked, slow) or badly (corrupt, cut, error, anything else 404); `/any/<name>` serves BYTES
 * under any name, `/real/<name>` the file at `realWeights` (the real MobileNetV2 weights).
 * Every request path is passed to `onRequest`.
 */
export async function startWeightsOrigin(
  onRequest: (path: string) => void,
  realWeights: string | null = null,
): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    const url = req.url ?? '';
    onRequest(url);
    const route = url.split('/')[1];
    // Any file name: /any serves random bytes, /real the shared MobileNetV2 weights.
    if (route === 'any') {
      res.writeHead(200, { 'content-length': BYTES.length });
      return sendChunks(res, BYTES);
    }
    if (route === 'real') {
      void readFile(realWeights!).then((b) =>
        res.writeHead(200, { 'content-length': b.length }).end(b),
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
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** For afterAll. */
export async function stopWeightsOrigin(server: Server | undefined): Promise<void> {
  if (!server) return;
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
}

/** What a weights store test sees of the download origin and its own folders. */
export interface OriginFixture {
  /** `http://127.0.0.1:<port>` of the download origin. */
  origin: string;
  /** Request paths the origin saw in the current test. */
  requests: string[];
  /** A fresh folder per test (removed after it), and `cache` inside it (not created). */
  root: string;
  cache: string;
}

/**
 * Registers the hooks of a weights store test file: the download origin for the whole file (see
 * startWeightsOrigin), a fresh folder and an empty request list for each test.
 */
export function useWeightsOrigin(realWeights: string | null = null): OriginFixture {
  const fx: OriginFixture = { origin: '', requests: [], root: '', cache: '' };
  let server: Server | undefined;
  beforeAll(async () => {
    ({ server, origin: fx.origin } = await startWeightsOrigin(
      (path) => fx.requests.push(path),
      realWeights,
    ));
  });
  afterAll(() => stopWeightsOrigin(server));
  beforeEach(async () => {
    fx.root = await mkdtemp(join(tmpdir(), 'gradcam-weights-'));
    fx.cache = join(fx.root, 'cache');
    fx.requests = [];
    const root = fx.root;
    return () => rm(root, { recursive: true, force: true });
  });
  return fx;
}

export async function expectWeightsError(p: Promise<unknown>, code: WeightsError['code']) {
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

/** The folder holds nothing (no final file, no .part). */
export async function expectFolderEmpty(dir: string): Promise<void> {
  const names = await readdir(dir).catch(() => []);
  expect(names).toEqual([]);
}

export function remedyIn(message: string): void {
  expect(message).toContain('GRADCAM_WEIGHTS_DIR');
  expect(message).toContain('--weights <file>');
}
