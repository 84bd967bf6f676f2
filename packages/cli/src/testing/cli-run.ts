// Test helper for the CLI contract tests (cli-*.test.ts): runs the CLI in-process with capturing
// streams in an isolated environment (a temporary folder, an empty weights cache, downloads
// impossible), and checks on teardown that no run put anything into that cache.
import { createServer, type AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, expect } from 'vitest';
import { MODELS } from '@gradcam-explorer/core/pure';
import { run } from '../index.js';

export const MOBILENET_FILE = 'mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224.h5';

/** The test photos in `<sharedDir>/images` (SHARED_DIR of core/src/testing/node.ts). */
export function testImages(sharedDir: string) {
  const IMAGES = join(sharedDir, 'images');
  return {
    IMAGES,
    BOTH: join(IMAGES, 'both.png'),
    CAT: join(IMAGES, 'cat.bmp'),
    KITE: join(IMAGES, 'kite_and_cold.jpg'),
  };
}

/** The models table of the contract (every field, in order): one row per registered network. */
export const MODELS_EXPECTED = MODELS.map((m) => ({
  id: m.id,
  name: m.name,
  inputSize: m.inputSize,
  defaultLayer: m.defaultLayer,
  parameters: m.parameters,
  weightsFile: m.weights.fileName,
}));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Where a test file's CLI runs live (see openCliSandbox). */
export interface CliSandbox {
  /** Temporary folder for the file's tests, removed by closeCliSandbox. */
  tmp: string;
  /** XDG_CACHE_HOME for every run: stays empty (checked by closeCliSandbox). */
  emptyCache: string;
  /** Downloads go to a loopback port nothing listens on: nothing leaves the machine. */
  noDownloads: string;
}

function sink(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _enc, cb) {
      chunks.push(String(chunk));
      cb();
    },
  });
  return { stream, text: () => chunks.join('') };
}

/** All regular files under `dir`, recursively (relative paths). */
export async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/** For beforeAll: a fresh temporary folder and a download URL that nothing answers. */
export async function openCliSandbox(): Promise<CliSandbox> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const noDownloads = `http://127.0.0.1:${(probe.address() as AddressInfo).port}/`;
  await new Promise((r) => probe.close(r));
  const tmp = await mkdtemp(join(tmpdir(), 'gradcam-cli-test-'));
  return { tmp, emptyCache: join(tmp, 'empty-cache'), noDownloads };
}

/** For afterAll: checks that no run downloaded anything into the empty cache, then cleans up. */
export async function closeCliSandbox(box: CliSandbox | undefined): Promise<void> {
  if (!box) return;
  try {
    // No run may have downloaded (or half-downloaded) anything into the cache.
    if (existsSync(box.emptyCache)) expect(await filesUnder(box.emptyCache)).toEqual([]);
  } finally {
    await rm(box.tmp, { recursive: true, force: true });
  }
}

/**
 * A test file's sandbox (opened before its tests, checked and removed after them) and `cli`,
 * which runs the CLI in it (see runCli).
 */
export function useCliSandbox() {
  let opened: CliSandbox | undefined;
  beforeAll(async () => {
    opened = await openCliSandbox();
  });
  // No run may have downloaded (or half-downloaded) anything into the cache; then tmp is removed.
  afterAll(() => closeCliSandbox(opened));
  const box = (): CliSandbox => {
    if (!opened) throw new Error('The CLI sandbox is not open (outside the tests?)');
    return opened;
  };
  return {
    box,
    cli: (args: string[], env?: Record<string, string | undefined>) => runCli(box(), args, env),
  };
}

/**
 * Runs the CLI in-process with capturing streams. The environment is isolated: an empty weights
 * cache, downloads impossible, no GRADCAM_WEIGHTS_DIR unless `env` sets one; restored afterwards.
 */
export async function runCli(
  box: CliSandbox,
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<CliResult> {
  const vars: Record<string, string | undefined> = {
    XDG_CACHE_HOME: box.emptyCache,
    GRADCAM_WEIGHTS_BASE_URL: box.noDownloads,
    GRADCAM_WEIGHTS_DIR: undefined,
    ...env,
  };
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const setAll = (values: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  const out = sink();
  const err = sink();
  setAll(vars);
  try {
    const code = await run(['node', 'gradcam-explorer', ...args], {
      stdout: out.stream,
      stderr: err.stream as unknown as NodeJS.WriteStream,
    });
    return { code, stdout: out.text(), stderr: err.text() };
  } finally {
    setAll(saved);
  }
}
