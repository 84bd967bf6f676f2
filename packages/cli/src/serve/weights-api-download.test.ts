// The weights API of `serve` downloading into the cache: one download per file for several
// clients, throttled progress, a hash mismatch, being offline, and cancelling on close.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findRealWeights } from '../../../core/src/testing/node.js';
import { freePort, type SseEvent } from '../testing/serve-client.js';
import {
  apiClient,
  closeApiFixture,
  expectSecurityHeaders,
  MOBILENET,
  openApiFixture,
  RESNET,
  type ApiFixture,
} from '../testing/weights-api-fixture.js';
import { startServer, type ModelListing, type RunningServer } from './index.js';

/** A download that passes the store's checks: the real MobileNetV2 file (skipped without it). */
const REAL_MOBILENET = findRealWeights(MOBILENET);

let fixture: ApiFixture | undefined;
let tmp: string;
let app: string;
let cache: string;
let env: NodeJS.ProcessEnv;
let MOBILENET_BYTES: Buffer;
/** Paths requested from the download origin. */
const originHits: string[] = [];
let srv: RunningServer;
const { req, sse } = apiClient(() => srv);

beforeAll(async () => {
  fixture = await openApiFixture(REAL_MOBILENET.path, originHits);
  ({ tmp, app, cache, env, mobilenetBytes: MOBILENET_BYTES } = fixture);
  srv = await startServer({ dir: app, port: 0, env });
});

afterAll(async () => {
  await srv?.close();
  await closeApiFixture(fixture);
});

describe('API and weights', () => {
  it.skipIf(!REAL_MOBILENET.path)(
    'downloads once for several clients, with throttled progress, then serves the file',
    async () => {
      let second: Promise<{ events: SseEvent[] }> | undefined;
      // The first client leaves after its first progress event; the second one waits to the end.
      const first = await sse('mobilenet_v2', (e) => {
        if (e.event !== 'progress') return false;
        second ??= sse('mobilenet_v2');
        return true;
      });
      expect(first.res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
      expectSecurityHeaders(first.res.headers);
      const { events } = await second!;
      const names = events.map((e) => e.event);
      expect(names.at(-1)).toBe('done');
      expect(events.at(-1)!.data).toEqual({ fileName: MOBILENET });
      expect(names).toContain('warning'); // no published hash: not verifiable
      const progress = events.filter((e) => e.event === 'progress').map((e) => e.data);
      expect(progress.length).toBeGreaterThan(1);
      expect(progress.length).toBeLessThan(25); // 25 chunks, throttled to ~10/s
      expect(Object.keys(progress[0]).sort()).toEqual([
        'bytesPerSecond',
        'etaSeconds',
        'receivedBytes',
        'totalBytes',
      ]);
      expect(progress.at(-1)).toMatchObject({
        receivedBytes: MOBILENET_BYTES.length,
        totalBytes: MOBILENET_BYTES.length,
      });
      expect(originHits.filter((p) => p.endsWith(MOBILENET))).toHaveLength(1);

      const served = await req(`/weights/${MOBILENET}`);
      expect(served.body.equals(MOBILENET_BYTES)).toBe(true);
      const list = JSON.parse((await req('/api/models')).body.toString()) as ModelListing[];
      expect(list.find((m) => m.id === 'mobilenet_v2')!.available).toBe(true);
      // Already there: done at once, no new download.
      const again = await sse('mobilenet_v2');
      expect(again.events).toEqual([{ event: 'done', data: { fileName: MOBILENET } }]);
      expect(originHits.filter((p) => p.endsWith(MOBILENET))).toHaveLength(1);
    },
  );

  it('reports a hash mismatch and leaves nothing in the cache', async () => {
    const { events } = await sse('resnet50');
    const last = events.at(-1)!;
    expect(last.event).toBe('error');
    expect(last.data.code).toBe('hash-mismatch');
    expect(last.data.message).toMatch(/md5/);
    expect((await readdir(cache)).filter((f) => f.startsWith(RESNET))).toEqual([]);
    expect((await req(`/weights/${RESNET}`)).status).toBe(404);
  });

  it('reports code offline when the origin cannot be reached', async () => {
    const closedPort = await freePort();
    const offline = await startServer({
      dir: app,
      port: 0,
      env: { ...env, GRADCAM_WEIGHTS_BASE_URL: `http://127.0.0.1:${closedPort}/` },
    });
    const saved = srv;
    srv = offline;
    try {
      const { events } = await sse('xception');
      expect(events.at(-1)).toMatchObject({ event: 'error', data: { code: 'offline' } });
    } finally {
      srv = saved;
      await offline.close();
    }
  });

  it('cancels downloads on close, leaving no partial file', async () => {
    const xdg = join(tmp, 'xdg-close');
    const closing = await startServer({ dir: app, port: 0, env: { ...env, XDG_CACHE_HOME: xdg } });
    const saved = srv;
    srv = closing;
    try {
      let stopped: Promise<void> | undefined;
      const { events } = await sse('mobilenet_v2', (e) => {
        if (e.event === 'progress') stopped ??= closing.close();
      });
      await stopped;
      expect(events.at(-1)).toMatchObject({ event: 'error', data: { code: 'aborted' } });
      expect(await readdir(join(xdg, 'gradcam-explorer', 'weights'))).toEqual([]);
    } finally {
      srv = saved;
    }
  });
});
