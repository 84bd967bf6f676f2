// The weights API of `serve` without downloads: the model list, the Origin checks and wrong paths
// and methods of the API, and weights files streamed from the local store with validators and ranges.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getModelSpec, MODELS } from '@gradcam-explorer/core';
import {
  apiClient,
  closeApiFixture,
  expectSecurityHeaders,
  openApiFixture,
  RESNET,
  VGG,
  VGG_BYTES,
  type ApiFixture,
} from '../testing/weights-api-fixture.js';
import { startServer, type ModelListing, type RunningServer } from './index.js';

let fixture: ApiFixture | undefined;
let app: string;
let env: NodeJS.ProcessEnv;
let srv: RunningServer;
const { req, sse } = apiClient(() => srv);

beforeAll(async () => {
  fixture = await openApiFixture(null);
  ({ app, env } = fixture);
  srv = await startServer({ dir: app, port: 0, env });
});

afterAll(async () => {
  await srv?.close();
  await closeApiFixture(fixture);
});

describe('API and weights', () => {
  it('lists the models with their availability and the size of the file it will serve', async () => {
    const r = await req('/api/models');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
    expectSecurityHeaders(r.headers);
    const list = JSON.parse(r.body.toString()) as ModelListing[];
    // Every network of core's registry, in its order.
    expect(list.map((m) => m.id)).toEqual(MODELS.map((m) => m.id));
    expect(list.map((m) => m.id)).toEqual(
      expect.arrayContaining(['vgg16', 'resnet50', 'mobilenet_v2', 'xception']),
    );
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
});
