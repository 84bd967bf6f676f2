// Test helper for the weights API tests of `serve` (serve/weights-api-*.test.ts): a temporary
// folder with a built-app stand-in, vgg16 in GRADCAM_WEIGHTS_DIR and an empty cache, a download
// origin for mobilenet_v2 (the real file) and resnet50 (bytes that fail its md5), and requests to
// the server under test.
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getModelSpec } from '@gradcam-explorer/core';
import { expect } from 'vitest';
import { SECURITY_HEADERS, type RunningServer } from '../serve/index.js';
import { downloadEvents, makeTestApp, rawRequest, type SseEvent } from './serve-client.js';

export const VGG = getModelSpec('vgg16').weights.fileName;
export const MOBILENET = getModelSpec('mobilenet_v2').weights.fileName; // Keras publishes no hash
export const RESNET = getModelSpec('resnet50').weights.fileName; // has an md5: fake bytes mismatch
export const VGG_BYTES = randomBytes(5000);

export interface ApiFixture {
  tmp: string;
  /** The built-app stand-in (makeTestApp). */
  app: string;
  /** The weights cache under `env`'s XDG_CACHE_HOME (empty at first). */
  cache: string;
  /** The server's environment: HOME, XDG_CACHE_HOME, GRADCAM_WEIGHTS_DIR, the origin's URL. */
  env: NodeJS.ProcessEnv;
  /** What the origin serves as MOBILENET: the real file, or nothing without it. */
  mobilenetBytes: Buffer;
  origin: Server;
}

/**
 * For beforeAll: the folder, and the download origin (25 chunks 15 ms apart, whatever the size).
 * `realMobilenet` is the real MobileNetV2 weights file (findRealWeights) or null; the origin pushes
 * every request path onto `originHits`.
 */
export async function openApiFixture(
  realMobilenet: string | null,
  originHits: string[] = [],
): Promise<ApiFixture> {
  const mobilenetBytes = realMobilenet ? await readFile(realMobilenet) : Buffer.alloc(0);
  const tmp = await mkdtemp(join(tmpdir(), 'gradcam-serve-api-'));
  const app = await makeTestApp(tmp);
  const weightsDir = join(tmp, 'weights');
  await mkdir(weightsDir);
  await writeFile(join(weightsDir, VGG), VGG_BYTES);
  const cache = join(tmp, 'xdg', 'gradcam-explorer', 'weights');

  const origin = createServer((rq, rs) => {
    originHits.push(rq.url ?? '');
    const name = (rq.url ?? '').split('/').pop();
    const data = name === MOBILENET ? mobilenetBytes : name === RESNET ? randomBytes(50_000) : null;
    if (!data) {
      rs.writeHead(404).end();
      return;
    }
    rs.writeHead(200, { 'content-length': data.length });
    // 25 chunks 15 ms apart, whatever the size.
    const chunk = Math.ceil(data.length / 25);
    let off = 0;
    const next = () => {
      if (rs.destroyed) return;
      if (off >= data.length) return void rs.end();
      rs.write(data.subarray(off, off + chunk));
      off += chunk;
      setTimeout(next, 15);
    };
    next();
  });
  await new Promise<void>((ok) => origin.listen(0, '127.0.0.1', ok));
  const env = {
    HOME: tmp,
    XDG_CACHE_HOME: join(tmp, 'xdg'),
    GRADCAM_WEIGHTS_DIR: weightsDir,
    GRADCAM_WEIGHTS_BASE_URL: `http://127.0.0.1:${(origin.address() as AddressInfo).port}/w/`,
  };
  return { tmp, app, cache, env, mobilenetBytes, origin };
}

/** For afterAll, once the servers under test are closed: stops the origin, removes the folder. */
export async function closeApiFixture(fixture: ApiFixture | undefined): Promise<void> {
  if (!fixture) return;
  const { origin, tmp } = fixture;
  origin.closeAllConnections(); // fetch keeps idle sockets to it alive
  await new Promise((ok) => origin.close(ok));
  await rm(tmp, { recursive: true, force: true });
}

/** Raw requests and download-event streams to the server `current()` returns at call time. */
export function apiClient(current: () => RunningServer) {
  const req = (path: string, opts: { method?: string; headers?: Record<string, string> } = {}) =>
    rawRequest(current().url, path, opts);

  const sse = (
    modelId: string,
    onEvent?: (e: SseEvent, all: SseEvent[]) => boolean | void,
    headers?: Record<string, string>,
    query?: string,
  ) => downloadEvents(current().url, modelId, onEvent, headers, query);

  return { req, sse };
}

export function expectSecurityHeaders(headers: IncomingHttpHeaders): void {
  for (const [k, v] of Object.entries(SECURITY_HEADERS)) expect(headers[k.toLowerCase()]).toBe(v);
}
