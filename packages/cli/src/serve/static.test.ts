// Static files of `serve`: headers on every answer, caching, validators, the single-page fallback,
// and nothing served from outside the app folder (paths, dotfiles, symlinks, foreign Host names).
import { mkdtemp, rm } from 'node:fs/promises';
import type { IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, INDEX, JS, makeTestApp, rawRequest, WASM } from '../testing/serve-client.js';
import {
  CONTENT_SECURITY_POLICY,
  parseRange,
  SECURITY_HEADERS,
  startServer,
  type RunningServer,
} from './index.js';

let tmp: string;
let srv: RunningServer;

const req = (path: string, opts: { method?: string; headers?: Record<string, string> } = {}) =>
  rawRequest(srv.url, path, opts);

function expectSecurityHeaders(headers: IncomingHttpHeaders): void {
  for (const [k, v] of Object.entries(SECURITY_HEADERS)) expect(headers[k.toLowerCase()]).toBe(v);
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'gradcam-serve-static-'));
  const app = await makeTestApp(tmp);
  srv = await startServer({
    dir: app,
    port: 0,
    env: {
      HOME: tmp,
      XDG_CACHE_HOME: join(tmp, 'xdg'),
      GRADCAM_WEIGHTS_BASE_URL: `http://127.0.0.1:${await freePort()}/`,
    },
  });
});

afterAll(async () => {
  await srv?.close();
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

describe('request parsing', () => {
  it('parses byte ranges', () => {
    expect(parseRange('bytes=0-9', 100)).toEqual({ start: 0, end: 9 });
    expect(parseRange('bytes=90-', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=-10', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=0-1,5-6', 100)).toBeNull();
    expect(parseRange('bytes=100-', 100)).toBe('unsatisfiable');
    expect(parseRange('items=0-1', 100)).toBeNull();
  });
});
