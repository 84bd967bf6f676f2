// Faults and bad input, through the real `gradcam-explorer` binary: each gets a clear message and
// the right exit code, and nothing half-written is left behind (Ctrl-C included).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getModelSpec } from '@gradcam-explorer/core';
import h5node from 'h5wasm/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateWeightsFile } from '../../core/src/testing/generate-weights.js';
import {
  findRealWeights,
  REPO_ROOT,
  SHARED_DIR,
  useWasmBackend,
} from '../../core/src/testing/node.js';

const BIN = join(REPO_ROOT, 'packages/cli/bin/gradcam-explorer.js');
const BOTH = join(SHARED_DIR, 'images', 'both.png');
const MNV2 = getModelSpec('mobilenet_v2');
const real = findRealWeights(MNV2.weights.fileName);
if (!real.path) console.warn(`Skipping CLI fault tests with real weights: ${real.why}`);

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

let tmp: string;
let server: Server;
let mirror: string;
/** Requests served by the mirror: slow garbage under /slow, the real file under /real. */
beforeAll(async () => {
  await useWasmBackend();
  tmp = await mkdtemp(join(tmpdir(), 'gradcam-faults-'));
  server = createServer((req, res) => {
    const route = (req.url ?? '').split('/')[1];
    if (route === 'real' && real.path) {
      void readFile(real.path).then((b) =>
        res.writeHead(200, { 'content-length': b.length }).end(b),
      );
      return;
    }
    if (route === 'slow') {
      // 20 MB at about 1 MB/s: long enough to be interrupted.
      res.writeHead(200, { 'content-length': 20_000_000 });
      const timer = setInterval(() => res.write(Buffer.alloc(50_000, 7)), 50);
      res.on('close', () => clearInterval(timer));
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  mirror = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await rm(tmp, { recursive: true, force: true });
});

/** Starts the CLI with a private cache and no GRADCAM_WEIGHTS_DIR unless `env` sets one. */
function start(args: string[], env: Record<string, string> = {}) {
  const cache = join(tmp, 'cache');
  const child = spawn(process.execPath, [BIN, ...args], {
    env: {
      ...process.env,
      GRADCAM_WEIGHTS_DIR: '',
      XDG_CACHE_HOME: cache,
      GRADCAM_WEIGHTS_BASE_URL: `${mirror}/none/`,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const done = new Promise<Run>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done, cache };
}

const cli = (args: string[], env: Record<string, string> = {}) => start(args, env).done;

const filesIn = (dir: string) => (existsSync(dir) ? readdirSync(dir, { recursive: true }) : []);

describe('usage and environment mistakes', () => {
  it('explain --out <an existing file> is a usage error (exit 2), found before loading the model', async () => {
    const file = join(tmp, 'not-a-folder.png');
    await writeFile(file, 'x');
    const r = await cli(['explain', BOTH, '-m', 'mobilenet_v2', '--out', file]);
    expect(r.stderr).toBe(
      `error: --out ${file} is a file, not a folder; give a folder (it is created when missing)\n`,
    );
    expect(r.code).toBe(2);
  });

  it('GRADCAM_WEIGHTS_DIR naming a missing folder says so', async () => {
    const missing = join(tmp, 'no-such-folder');
    const r = await cli(['classify', BOTH, '-m', 'mobilenet_v2'], { GRADCAM_WEIGHTS_DIR: missing });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`GRADCAM_WEIGHTS_DIR is set to ${missing}, which is not a folder`);
  });
});

describe('hostile or damaged weights files', () => {
  it('a small .h5 that declares gigabytes is refused at once', async () => {
    await h5node.ready;
    const path = join(tmp, 'huge.h5');
    const f = new h5node.File(path, 'w');
    f.create_attribute('layer_names', ['Conv1'], [1], 'S5');
    const g = f.create_group('Conv1');
    g.create_attribute('weight_names', ['Conv1/kernel:0'], [1], 'S14');
    const d = g.create_group('Conv1').create_dataset({
      name: 'kernel:0',
      data: new Float32Array(1024),
      shape: [1024],
      maxshape: [null],
      chunks: [1024],
      dtype: '<f',
    });
    d.resize([1_300_000_000]);
    f.close();
    const r = await cli(['classify', BOTH, '-m', 'mobilenet_v2', '--weights', path]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `Weights file "${path}" is damaged or hostile: its datasets declare 5.2 GB of weights`,
    );
  });

  it('NaN weights are an error, never "NaN %"', async () => {
    const path = await generateWeightsFile(MNV2, { seed: 3, firstValue: { 'Conv1/kernel': NaN } });
    const r = await cli(['classify', BOTH, '-m', 'mobilenet_v2', '--weights', path, '--json']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/is damaged: dataset "Conv1\/Conv1\/kernel:0" holds NaN at index 0/);
  });

  it('weights that overflow to non-finite scores are an error', async () => {
    const path = await generateWeightsFile(MNV2, {
      seed: 3,
      firstValue: { 'predictions/bias': 3e38, 'predictions/kernel': 3e38 },
    });
    const r = await cli(['classify', BOTH, '-m', 'mobilenet_v2', '--weights', path, '--json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /MobileNetV2 computed a non-finite score .* Load the official weights/,
    );
  });

  it.skipIf(!real.path)(
    'a damaged cached file is reported with the way out, and --redownload replaces it',
    async () => {
      const cache = join(tmp, 'cache-damaged');
      const dir = join(cache, 'gradcam-explorer', 'weights');
      mkdirSync(dir, { recursive: true });
      const cached = join(dir, MNV2.weights.fileName);
      await writeFile(cached, Buffer.alloc(5000, 1));
      const env = { XDG_CACHE_HOME: cache, GRADCAM_WEIGHTS_BASE_URL: `${mirror}/real/` };
      const bad = await cli(['classify', BOTH, '-m', 'mobilenet_v2'], env);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain('is not an HDF5 file');
      expect(bad.stderr).toContain(
        `run again with --redownload to download ${MNV2.weights.fileName} again`,
      );
      const fixed = await cli(
        ['classify', BOTH, '-m', 'mobilenet_v2', '--redownload', '--json'],
        env,
      );
      expect(fixed.code, fixed.stderr).toBe(0);
      expect(JSON.parse(fixed.stdout)[0].predictions[0].index).toBe(243);
      expect((await readFile(cached)).equals(await readFile(real.path!))).toBe(true);
      expect(filesIn(dir)).toEqual([MNV2.weights.fileName]);
    },
  );
});

describe('Ctrl-C', () => {
  it('during a download: exit 130, no .part file left in the cache', async () => {
    const run = start(['classify', BOTH, '-m', 'mobilenet_v2'], {
      GRADCAM_WEIGHTS_BASE_URL: `${mirror}/slow/`,
    });
    const dir = join(run.cache, 'gradcam-explorer', 'weights');
    const deadline = Date.now() + 30_000;
    while (!filesIn(dir).some((n) => String(n).endsWith('.part')) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(filesIn(dir).some((n) => String(n).endsWith('.part'))).toBe(true);
    run.child.kill('SIGINT');
    const r = await run.done;
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('Interrupted');
    expect(filesIn(dir)).toEqual([]);
  });
});
