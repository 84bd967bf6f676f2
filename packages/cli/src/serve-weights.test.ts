// The server hands out weights only from inside the folders it was given: a symlink named like an
// official file but pointing elsewhere (e.g. at /etc/passwd) is not served.
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getModelSpec } from '@gradcam-explorer/core';
import type { Io } from './io.js';
import { serveCommand, startServer, type ModelListing, type RunningServer } from './serve/index.js';

const MOBILENET = getModelSpec('mobilenet_v2').weights.fileName;
const RESNET = getModelSpec('resnet50').weights.fileName;

let tmp: string;
let srv: RunningServer;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'gradcam-serve-weights-'));
  const app = join(tmp, 'app');
  const weights = join(tmp, 'weights');
  await mkdir(app);
  await mkdir(weights);
  await writeFile(join(app, 'index.html'), '<!doctype html><title>t</title>\n');
  await writeFile(join(tmp, 'secret.txt'), 'root:x:0:0:root:/root:/bin/bash\n');
  await symlink('/etc/passwd', join(weights, MOBILENET));
  await symlink(join(tmp, 'secret.txt'), join(weights, RESNET));
  srv = await startServer({
    dir: app,
    port: 0,
    env: {
      HOME: tmp,
      XDG_CACHE_HOME: join(tmp, 'cache'),
      GRADCAM_WEIGHTS_DIR: weights,
      GRADCAM_WEIGHTS_BASE_URL: 'http://127.0.0.1:9/',
    },
  });
});

afterAll(async () => {
  await srv?.close();
  await rm(tmp, { recursive: true, force: true });
});

describe('/weights/<official name>', () => {
  it.each([MOBILENET, RESNET])('does not follow a symlink out of the folder (%s)', async (name) => {
    const r = await fetch(`${srv.url}weights/${name}`);
    const body = await r.text();
    expect(r.status).toBe(404);
    expect(body).not.toContain('root:');
  });

  it('lists such files as not available', async () => {
    const list = (await (await fetch(`${srv.url}api/models`)).json()) as ModelListing[];
    expect(list.filter((m) => m.available)).toEqual([]);
  });
});

describe('serve with GRADCAM_WEIGHTS_DIR naming no folder', () => {
  it('warns on stderr at start, and still serves', async () => {
    const stop = new AbortController();
    let err = '';
    let out = '';
    const io = {
      stdout: { write: (s: string) => ((out += s), true) },
      stderr: { write: (s: string) => ((err += s), true) },
    } as unknown as Io;
    const missing = join(tmp, 'typo');
    const done = serveCommand(
      { port: 0, host: '127.0.0.1', dir: join(tmp, 'app') },
      io,
      stop.signal,
      {
        HOME: tmp,
        XDG_CACHE_HOME: join(tmp, 'cache'),
        GRADCAM_WEIGHTS_DIR: missing,
      },
    );
    while (!out.includes('http')) await new Promise((r) => setTimeout(r, 20));
    stop.abort();
    expect(await done).toBe(0);
    expect(err).toContain(
      `warning: GRADCAM_WEIGHTS_DIR is set to ${missing}, which is not a folder`,
    );
  });
});
