import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import {
  createServer,
  request,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
} from 'node:http';
import { connect, createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getModelSpec } from '@gradcam-explorer/core';
import { findRealWeights } from '../../core/src/testing/node.js';
import { run } from './index.js';
import {
  CONTENT_SECURITY_POLICY,
  defaultWebDir,
  parseRange,
  SECURITY_HEADERS,
  ServeError,
  startServer,
  type ModelListing,
  type RunningServer,
} from './serve.js';

const VGG = getModelSpec('vgg16').weights.fileName;
const MOBILENET = getModelSpec('mobilenet_v2').weights.fileName; // Keras publishes no hash
const RESNET = getModelSpec('resnet50').weights.fileName; // has an md5: fake bytes mismatch
const VGG_BYTES = randomBytes(5000);
/** A download that passes the store's checks: the real MobileNetV2 file (skipped without it). */
const REAL_MOBILENET = findRealWeights(MOBILENET);
const MOBILENET_BYTES = REAL_MOBILENET.path ? readFileSync(REAL_MOBILENET.path) : Buffer.alloc(0);
const WASM = Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
const JS = 'console.log("asset");\n';
const INDEX = '<!doctype html><title>Grad-CAM Explorer test</title>\n';

let tmp: string;
let app: string;
let cache: string;
let env: NodeJS.ProcessEnv;
let origin: Server;
/** Paths requested from the download origin. */
const originHits: string[] = [];
let srv: RunningServer;

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Raw request: the path goes out exactly as written (fetch would normalise `..`). */
function req(
  path: string,
  opts: { method?: string; headers?: Record<string, string>; base?: string } = {},
): Promise<Reply> {
  const url = new URL(opts.base ?? srv.url);
  return new Promise((ok, fail) => {
    const r = request(
      {
        host: url.hostname,
        port: url.port,
        path,
        method: opts.method ?? 'GET',
        headers: opts.headers,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          ok({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', fail);
      },
    );
    r.on('error', fail);
    r.end();
  });
}

interface SseEvent {
  event: string;
  data: Record<string, unknown>;
}

/** POSTs to a download endpoint; `onEvent` may return true to disconnect. */
function sse(
  modelId: string,
  onEvent: (e: SseEvent, all: SseEvent[]) => boolean | void = () => undefined,
  headers: Record<string, string> = {},
  query = '',
): Promise<{ res: IncomingMessage; events: SseEvent[] }> {
  const url = new URL(srv.url);
  return new Promise((ok, fail) => {
    const r = request(
      {
        host: url.hostname,
        port: url.port,
        path: `/api/weights/${modelId}/download${query}`,
        method: 'POST',
        headers,
        agent: false,
      },
      (res) => {
        const events: SseEvent[] = [];
        let buf = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buf += chunk;
          let i;
          while ((i = buf.indexOf('\n\n')) >= 0) {
            const block = buf.slice(0, i);
            buf = buf.slice(i + 2);
            const ev = /^event: (.*)$/m.exec(block)?.[1];
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (!ev || data === undefined) continue; // comments
            const e = { event: ev, data: JSON.parse(data) as Record<string, unknown> };
            events.push(e);
            if (onEvent(e, events)) {
              res.destroy();
              ok({ res, events });
              return;
            }
          }
        });
        res.on('end', () => ok({ res, events }));
        res.on('error', fail);
      },
    );
    r.on('error', fail);
    r.end();
  });
}

function expectSecurityHeaders(headers: IncomingHttpHeaders): void {
  for (const [k, v] of Object.entries(SECURITY_HEADERS)) expect(headers[k.toLowerCase()]).toBe(v);
}

async function freePort(): Promise<number> {
  const s = createNetServer();
  await new Promise<void>((ok) => s.listen(0, '127.0.0.1', ok));
  const { port } = s.address() as AddressInfo;
  await new Promise((ok) => s.close(ok));
  return port;
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'gradcam-serve-'));
  app = join(tmp, 'app');
  await mkdir(join(app, 'assets'), { recursive: true });
  await writeFile(join(app, 'index.html'), INDEX);
  await writeFile(join(app, 'assets', 'index-4f3a2b1c.js'), JS);
  await writeFile(join(app, 'assets', 'tfjs-backend-wasm-9a8b7c6d.wasm'), WASM);
  await writeFile(join(app, '.env'), 'SECRET=1');
  await writeFile(join(tmp, 'secret.txt'), 'SECRET outside the app');
  await symlink(join(tmp, 'secret.txt'), join(app, 'link.txt'));
  const weightsDir = join(tmp, 'weights');
  await mkdir(weightsDir);
  await writeFile(join(weightsDir, VGG), VGG_BYTES);
  cache = join(tmp, 'xdg', 'gradcam-explorer', 'weights');

  origin = createServer((rq, rs) => {
    originHits.push(rq.url ?? '');
    const name = (rq.url ?? '').split('/').pop();
    const data =
      name === MOBILENET ? MOBILENET_BYTES : name === RESNET ? randomBytes(50_000) : null;
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
  env = {
    HOME: tmp,
    XDG_CACHE_HOME: join(tmp, 'xdg'),
    GRADCAM_WEIGHTS_DIR: weightsDir,
    GRADCAM_WEIGHTS_BASE_URL: `http://127.0.0.1:${(origin.address() as AddressInfo).port}/w/`,
  };
  srv = await startServer({ dir: app, port: 0, env });
});

afterAll(async () => {
  await srv?.close();
  origin?.closeAllConnections(); // fetch keeps idle sockets to it alive
  await new Promise((ok) => origin?.close(ok));
  await rm(tmp, { recursive: true, force: true });
});

describe('static files', () => {
  it('listens on 127.0.0.1 and serves index.html with the security headers', async () => {
    expect(srv.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self' 'wasm-unsafe-eval'");
    const r = await req('/');
    expect(r.status).toBe(200);
    expect(r.body.toString()).toBe(INDEX);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.headers['content-length']).toBe(String(Buffer.byteLength(INDEX)));
    expect(r.headers['cache-control']).toBe('no-cache');
    expect(r.headers.etag).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);
    expect(r.headers['last-modified']).toBeDefined();
    expectSecurityHeaders(r.headers);
  });

  it('sends MIME types and long-lived caching for assets/', async () => {
    const js = await req('/assets/index-4f3a2b1c.js');
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(js.body.toString()).toBe(JS);
    const wasm = await req('/assets/tfjs-backend-wasm-9a8b7c6d.wasm');
    expect(wasm.headers['content-type']).toBe('application/wasm');
    expect(wasm.headers['content-length']).toBe(String(WASM.length));
    expect(wasm.body.equals(WASM)).toBe(true);
    expectSecurityHeaders(wasm.headers);
  });

  it('answers HEAD without a body, and 304 to If-None-Match / If-Modified-Since', async () => {
    const head = await req('/assets/index-4f3a2b1c.js', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String(JS.length));
    expect(head.body.length).toBe(0);
    const etag = head.headers.etag!;
    const notModified = await req('/assets/index-4f3a2b1c.js', {
      headers: { 'If-None-Match': `"other", W/${etag}` },
    });
    expect(notModified.status).toBe(304);
    expect(notModified.body.length).toBe(0);
    expectSecurityHeaders(notModified.headers);
    const since = await req('/', {
      headers: { 'If-Modified-Since': head.headers['last-modified']! },
    });
    expect(since.status).toBe(304);
    expect((await req('/', { headers: { 'If-None-Match': '"stale"' } })).status).toBe(200);
  });

  it('falls back to index.html for app routes, 404 for missing files', async () => {
    for (const path of ['/explain', '/models/vgg16/', '/a/b?x=1']) {
      const r = await req(path);
      expect(r.status, path).toBe(200);
      expect(r.body.toString()).toBe(INDEX);
      expect(r.headers['cache-control']).toBe('no-cache');
    }
    for (const path of ['/missing.js', '/assets/missing-123.css']) {
      const r = await req(path);
      expect(r.status, path).toBe(404);
      expectSecurityHeaders(r.headers);
    }
    const post = await req('/', { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
  });

  it('never serves a file outside the folder', async () => {
    const attempts = [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2E%2E/secret.txt',
      '/..%2fsecret.txt',
      '/assets/..%2F..%2Fsecret.txt',
      '/%2e%2e%2fsecret.txt',
      '/..%5csecret.txt',
      '/..\\secret.txt',
      '/%252e%252e/secret.txt',
      '/./../secret.txt',
      '/index.html%00.js',
      '/%E0%A4%A',
      '/link.txt', // symlink pointing outside
      '/.env',
      '/weights/..%2f..%2fsecret.txt',
      '/weights/%2e%2e',
    ];
    for (const path of attempts) {
      const r = await req(path);
      expect([400, 404], path).toContain(r.status);
      expect(r.body.toString(), path).not.toContain('SECRET');
      expectSecurityHeaders(r.headers);
    }
  });

  it('answers malformed requests and foreign Host names with the headers too', async () => {
    const raw = await new Promise<string>((ok, fail) => {
      const { port } = new URL(srv.url);
      const s = connect(Number(port), '127.0.0.1', () => s.write('GARBAGE\r\n\r\n'));
      let text = '';
      s.on('data', (d) => (text += d.toString()));
      s.on('end', () => ok(text));
      s.on('error', fail);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400 /);
    expect(raw).toContain('Cross-Origin-Embedder-Policy: require-corp');
    // DNS rebinding
    const r = await req('/api/models', { headers: { Host: 'evil.example:8080' } });
    expect(r.status).toBe(403);
    expectSecurityHeaders(r.headers);
    expect((await req('/', { headers: { Host: 'localhost:1' } })).status).toBe(200);
  });
});

describe('API and weights', () => {
  it('lists the models with their availability and the size of the file it will serve', async () => {
    const r = await req('/api/models');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
    expectSecurityHeaders(r.headers);
    const list = JSON.parse(r.body.toString()) as ModelListing[];
    expect(list.map((m) => m.id)).toEqual(['vgg16', 'resnet50', 'mobilenet_v2', 'xception']);
    const vgg = list.find((m) => m.id === 'vgg16')!;
    expect(vgg).toEqual({
      id: 'vgg16',
      name: 'VGG16',
      fileName: VGG,
      available: true,
      bytes: VGG_BYTES.length,
      source: 'env-dir',
    });
    const resnet = list.find((m) => m.id === 'resnet50')!;
    expect(resnet.available).toBe(false);
    expect(resnet.source).toBeUndefined();
    expect(resnet.bytes).toBe(getModelSpec('resnet50').weights.bytes);
  });

  it('404 JSON for unknown API paths, 405 for wrong methods', async () => {
    const r = await req('/api/nope');
    expect(r.status).toBe(404);
    expect(JSON.parse(r.body.toString()).error).toMatch(/Unknown API path/);
    expectSecurityHeaders(r.headers);
    const post = await req('/api/models', { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
    expectSecurityHeaders(post.headers);
    const get = await req('/api/weights/vgg16/download');
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe('POST');
    const unknown = await req('/api/weights/alexnet/download', { method: 'POST' });
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body.toString()).error).toMatch(/Valid models: vgg16/);
    const foreign = await req('/api/weights/vgg16/download', {
      method: 'POST',
      headers: { Origin: 'http://evil.example' },
    });
    expect(foreign.status).toBe(403);
    expect(JSON.parse(foreign.body.toString()).error).toMatch(/Cross-origin/);
    for (const o of ['null', 'http://localhost.evil.example', 'file://']) {
      const r = await req('/api/weights/vgg16/download', {
        method: 'POST',
        headers: { Origin: o },
      });
      expect(r.status, o).toBe(403);
    }
    // Same origin, and a local dev server proxying: allowed (vgg16 is in GRADCAM_WEIGHTS_DIR).
    const url = new URL(srv.url);
    for (const o of [url.origin, 'http://localhost:5173']) {
      const ok = await sse('vgg16', undefined, { Origin: o });
      expect(ok.res.statusCode, o).toBe(200);
      expect(ok.events).toEqual([{ event: 'done', data: { fileName: VGG } }]);
    }
  });

  it('streams weights with validators, 304 and ranges', async () => {
    const r = await req(`/weights/${VGG}`);
    expect(r.status).toBe(200);
    expect(r.body.equals(VGG_BYTES)).toBe(true);
    expect(r.headers['content-length']).toBe(String(VGG_BYTES.length));
    expect(r.headers['content-type']).toBe('application/octet-stream');
    expectSecurityHeaders(r.headers);
    const cached = await req(`/weights/${VGG}`, { headers: { 'If-None-Match': r.headers.etag! } });
    expect(cached.status).toBe(304);
    const part = await req(`/weights/${VGG}`, { headers: { Range: 'bytes=10-19' } });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 10-19/${VGG_BYTES.length}`);
    expect(part.body.equals(VGG_BYTES.subarray(10, 20))).toBe(true);
    const tail = await req(`/weights/${VGG}`, { headers: { Range: 'bytes=-5' } });
    expect(tail.body.equals(VGG_BYTES.subarray(-5))).toBe(true);
    const beyond = await req(`/weights/${VGG}`, { headers: { Range: 'bytes=99999-' } });
    expect(beyond.status).toBe(416);
    expect(
      (await req(`/weights/${VGG}`, { headers: { Range: 'bytes=0-1', 'If-Range': '"old"' } }))
        .status,
    ).toBe(200);
  });

  it('404 JSON for missing and unofficial weights files', async () => {
    const missing = await req(`/weights/${RESNET}`);
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body.toString()).error).toMatch(
      /not available yet.*GRADCAM_WEIGHTS_DIR/,
    );
    expectSecurityHeaders(missing.headers);
    const other = await req('/weights/other.h5');
    expect(other.status).toBe(404);
    expect(JSON.parse(other.body.toString()).error).toMatch(/Not an official weights file/);
  });

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

describe('startServer errors and parsing', () => {
  it('explains a missing app and a port in use', async () => {
    const missing = join(tmp, 'nothing-here');
    await expect(startServer({ dir: missing, port: 0 })).rejects.toThrow(
      /npm run build -w packages\/web/,
    );
    const port = Number(new URL(srv.url).port);
    const err = await startServer({ dir: app, port, env }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServeError);
    expect((err as ServeError).code).toBe('port-in-use');
    expect((err as ServeError).message).toMatch(new RegExp(`Port ${port} is already in use`));
    expect(defaultWebDir()).toMatch(/packages[/\\]web[/\\]dist$/);
  });

  it('parses byte ranges', () => {
    expect(parseRange('bytes=0-9', 100)).toEqual({ start: 0, end: 9 });
    expect(parseRange('bytes=90-', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=-10', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=0-1,5-6', 100)).toBeNull();
    expect(parseRange('bytes=100-', 100)).toBe('unsatisfiable');
    expect(parseRange('items=0-1', 100)).toBeNull();
  });
});

describe('gradcam-explorer serve', () => {
  function io() {
    const stdout = new PassThrough();
    const stderr = new PassThrough() as unknown as NodeJS.WriteStream;
    let out = '';
    let err = '';
    stdout.on('data', (d: Buffer) => (out += d.toString()));
    (stderr as unknown as PassThrough).on('data', (d: Buffer) => (err += d.toString()));
    return { io: { stdout, stderr }, out: () => out, err: () => err };
  }

  /** Runs the subcommand until it prints its URL line, then stops it as SIGINT would. */
  async function serveOnce(args: string[], check: (url: string) => Promise<void>) {
    const t = io();
    const before = new Set(process.listeners('SIGINT'));
    const termListeners = process.listenerCount('SIGTERM');
    const exit = run(['node', 'gradcam-explorer', 'serve', ...args], t.io);
    for (let i = 0; i < 200 && !t.out().includes('\n'); i++) {
      await new Promise((r) => setTimeout(r, 25));
    }
    const url = /^Grad-CAM Explorer: (\S+)\n$/.exec(t.out())?.[1];
    expect(url, t.err()).toBeDefined();
    await check(url!);
    // Only our own handler: other SIGINT listeners in this worker are left alone.
    for (const l of process.listeners('SIGINT')) if (!before.has(l)) l('SIGINT');
    expect(await exit).toBe(0);
    expect(process.listenerCount('SIGINT')).toBe(before.size);
    expect(process.listenerCount('SIGTERM')).toBe(termListeners);
    return t;
  }

  it('prints exactly one URL line, logs requests with --verbose, stops on SIGINT', async () => {
    const t = await serveOnce(['--port', '0', '--dir', app, '--verbose'], async (url) => {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const r = await fetch(url);
      expect(r.status).toBe(200);
      expect(r.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    });
    expect(t.out()).toMatch(/^Grad-CAM Explorer: http:\/\/127\.0\.0\.1:\d+\/\n$/);
    expect(t.err()).toMatch(/^GET \/ 200 \d+ms$/m);
  });

  it('warns when reachable from the network', async () => {
    const t = await serveOnce(['--port', '0', '--dir', app, '--host', '0.0.0.0'], async (url) => {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    });
    expect(t.err()).toMatch(/warning: listening on 0\.0\.0\.0: .*reachable from the network/);
  });

  it('exits 1 with a clear message when the app is missing or the port is taken', async () => {
    const t = io();
    const missing = join(tmp, 'no-dist');
    expect(await run(['node', 'gradcam-explorer', 'serve', '--dir', missing], t.io)).toBe(1);
    expect(t.err()).toContain('npm run build -w packages/web');
    expect(t.out()).toBe('');
    const t2 = io();
    const port = new URL(srv.url).port;
    expect(
      await run(['node', 'gradcam-explorer', 'serve', '--port', port, '--dir', app], t2.io),
    ).toBe(1);
    expect(t2.err()).toMatch(/already in use.*--port 0/);
    const t3 = io();
    expect(await run(['node', 'gradcam-explorer', 'serve', '--port', '70000'], t3.io)).toBe(2);
  });
});
