// The weights API of `serve` downloading again over a cached file (?replace=1): the damaged copy is
// replaced only once the new one is complete, kept when the download fails, and a file in
// GRADCAM_WEIGHTS_DIR is never replaced; the Origin checks apply as to a first download.
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findRealWeights } from '../../../core/src/testing/node.js';
import { freePort, type Reply } from '../testing/serve-client.js';
import {
  apiClient,
  closeApiFixture,
  MOBILENET,
  openApiFixture,
  VGG,
  VGG_BYTES,
  type ApiFixture,
} from '../testing/weights-api-fixture.js';
import { startServer, type ModelListing, type RunningServer } from './index.js';

/** The real MobileNetV2 file, for a download that passes the store's checks (skipped without it). */
const REAL_MOBILENET = findRealWeights(MOBILENET);

let fixture: ApiFixture | undefined;
let tmp: string;
let app: string;
let env: NodeJS.ProcessEnv;
let srv: RunningServer;
const { req, sse } = apiClient(() => srv);

beforeAll(async () => {
  fixture = await openApiFixture(REAL_MOBILENET.path);
  ({ tmp, app, env } = fixture);
  srv = await startServer({ dir: app, port: 0, env });
});

afterAll(async () => {
  await srv?.close();
  await closeApiFixture(fixture);
});

describe('API and weights', () => {
  it.skipIf(!REAL_MOBILENET.path)(
    'downloads again over a damaged cached file, replacing it only once complete',
    async () => {
      const real = await readFile(REAL_MOBILENET.path!);
      // Its own origin: the real file, in 25 chunks 15 ms apart.
      const hits: string[] = [];
      const mirror = createServer((rq, rs) => {
        hits.push(rq.url ?? '');
        rs.writeHead(200, { 'content-length': real.length });
        const step = Math.ceil(real.length / 25);
        let off = 0;
        const next = () => {
          if (rs.destroyed) return;
          if (off >= real.length) return void rs.end();
          rs.write(real.subarray(off, off + step));
          off += step;
          setTimeout(next, 15);
        };
        next();
      });
      await new Promise<void>((ok) => mirror.listen(0, '127.0.0.1', ok));
      const xdg = join(tmp, 'xdg-replace');
      const dir = join(xdg, 'gradcam-explorer', 'weights');
      await mkdir(dir, { recursive: true });
      const damaged = Buffer.from('damaged: not an HDF5 file');
      await writeFile(join(dir, MOBILENET), damaged);
      const replacing = await startServer({
        dir: app,
        port: 0,
        env: {
          ...env,
          XDG_CACHE_HOME: xdg,
          GRADCAM_WEIGHTS_BASE_URL: `http://127.0.0.1:${(mirror.address() as AddressInfo).port}/`,
        },
      });
      const saved = srv;
      srv = replacing;
      try {
        const list = JSON.parse((await req('/api/models')).body.toString()) as ModelListing[];
        expect(list.find((m) => m.id === 'mobilenet_v2')).toMatchObject({
          available: true,
          bytes: damaged.length,
          source: 'cache',
        });
        // Without ?replace=1 the cached file counts as there.
        expect((await sse('mobilenet_v2')).events).toEqual([
          { event: 'done', data: { fileName: MOBILENET } },
        ]);
        expect(hits).toEqual([]);
        // With it: a new download; the damaged file is served until the new one is complete.
        let during: Promise<Reply> | undefined;
        const origin = new URL(srv.url).origin;
        const { res, events } = await sse(
          'mobilenet_v2',
          (e) => {
            if (e.event === 'progress') during ??= req(`/weights/${MOBILENET}`);
          },
          { Origin: origin },
          '?replace=1',
        );
        expect(res.statusCode).toBe(200);
        expect(events.at(-1)).toEqual({ event: 'done', data: { fileName: MOBILENET } });
        expect(hits).toHaveLength(1);
        expect((await during!).body.equals(damaged)).toBe(true);
        expect((await req(`/weights/${MOBILENET}`)).body.equals(real)).toBe(true);
        expect(await readdir(dir)).toEqual([MOBILENET]);
      } finally {
        srv = saved;
        await replacing.close();
        mirror.closeAllConnections();
        await new Promise((ok) => mirror.close(ok));
      }
    },
  );

  it('keeps the cached file when downloading again fails, and never replaces a named folder', async () => {
    const xdg = join(tmp, 'xdg-replace-offline');
    const dir = join(xdg, 'gradcam-explorer', 'weights');
    await mkdir(dir, { recursive: true });
    const damaged = Buffer.from('damaged: not an HDF5 file');
    await writeFile(join(dir, MOBILENET), damaged);
    const offline = await startServer({
      dir: app,
      port: 0,
      env: {
        ...env,
        XDG_CACHE_HOME: xdg,
        GRADCAM_WEIGHTS_BASE_URL: `http://127.0.0.1:${await freePort()}/`,
      },
    });
    const saved = srv;
    srv = offline;
    try {
      const { events } = await sse('mobilenet_v2', undefined, {}, '?replace=1');
      expect(events.at(-1)).toMatchObject({ event: 'error', data: { code: 'offline' } });
      expect((await req(`/weights/${MOBILENET}`)).body.equals(damaged)).toBe(true);
      expect(await readdir(dir)).toEqual([MOBILENET]);
      // vgg16 comes from GRADCAM_WEIGHTS_DIR: the user's folder is not the server's to change.
      const named = await req('/api/weights/vgg16/download?replace=1', { method: 'POST' });
      expect(named.status).toBe(409);
      expect(JSON.parse(named.body.toString()).error).toMatch(/GRADCAM_WEIGHTS_DIR/);
      expect((await req(`/weights/${VGG}`)).body.equals(VGG_BYTES)).toBe(true);
      // Same checks as a first download: other sites cannot ask for it.
      const foreign = await req('/api/weights/mobilenet_v2/download?replace=1', {
        method: 'POST',
        headers: { Origin: 'http://evil.example' },
      });
      expect(foreign.status).toBe(403);
      const rebinding = await req('/api/weights/mobilenet_v2/download?replace=1', {
        method: 'POST',
        headers: { Host: 'evil.example' },
      });
      expect(rebinding.status).toBe(403);
    } finally {
      srv = saved;
      await offline.close();
    }
  });
});
