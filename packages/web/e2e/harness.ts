// Shared e2e plumbing: start the app server, launch Chromium, and drive the page.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
// window.__gradcamTest, the page's test hooks (installed when newPage sets the flag).
import type {} from '../src/testing/test-hooks';

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));
/** `../shared` beside the repository, or GRADCAM_SHARED_DIR (with or without a final slash). */
export const SHARED = join(
  process.env.GRADCAM_SHARED_DIR ?? fileURLToPath(new URL('../../../../shared/', import.meta.url)),
  '/',
);
export const WEIGHTS_DIR = process.env.GRADCAM_WEIGHTS_DIR ?? `${SHARED}weights`;
export const IMAGES = `${SHARED}images`;
export const MOBILENET_FILE = 'mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224.h5';
const CLI = `${REPO}packages/cli/bin/gradcam-explorer.js`;
const CLI_BUILD = `${REPO}packages/cli/dist/index.js`;
const DIST = `${REPO}packages/web/dist/index.html`;

/** Why the suite cannot run here, or null when it can. */
export function missingPrerequisite(): string | null {
  if (!existsSync(`${WEIGHTS_DIR}/${MOBILENET_FILE}`))
    return `no MobileNetV2 weights in ${WEIGHTS_DIR}`;
  if (!existsSync(`${IMAGES}/both.png`)) return `no test photos in ${IMAGES}`;
  if (!process.env.GRADCAM_WEB_URL && !existsSync(DIST)) {
    return 'packages/web/dist is missing: run `npm run build -w packages/web` first';
  }
  if (!process.env.GRADCAM_WEB_URL && !existsSync(CLI_BUILD)) {
    return 'packages/cli/dist is missing (the server is `gradcam-explorer serve`): run `npm run build` first';
  }
  if (!existsSync(chromiumPath())) return `no Chromium at ${chromiumPath()}`;
  return null;
}

export const chromiumPath = () => process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface AppServer {
  url: string;
  /** `cli`: `gradcam-explorer serve`, started here; `external`: GRADCAM_WEB_URL. */
  kind: 'external' | 'cli';
  close(): Promise<void>;
}

/** A loopback port nothing listens on (fetch refuses well-known "bad ports" such as 9 outright). */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address() as AddressInfo;
  await new Promise((r) => probe.close(r));
  return port;
}

/**
 * The app's server: GRADCAM_WEB_URL when set, else the real one, `gradcam-explorer serve --port 0`
 * (URL read from its stdout), with `env` added to its environment.
 */
export async function startAppServer(env: Record<string, string> = {}): Promise<AppServer> {
  if (process.env.GRADCAM_WEB_URL) {
    return { url: process.env.GRADCAM_WEB_URL, kind: 'external', close: async () => undefined };
  }
  // Tests never reach beyond this machine: downloads go to a closed loopback port (the app then
  // reports that it is offline) unless a test names a mirror (see startWeightsMirror), into a
  // private cache that is removed afterwards.
  const cache = mkdtempSync(join(tmpdir(), 'gradcam-e2e-cache-'));
  const weightsEnv = {
    GRADCAM_WEIGHTS_DIR: WEIGHTS_DIR,
    GRADCAM_WEIGHTS_BASE_URL: `http://127.0.0.1:${await closedPort()}/`,
    XDG_CACHE_HOME: cache,
    ...env,
  };
  const removeCache = () => rmSync(cache, { recursive: true, force: true });
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0'], {
    env: { ...process.env, ...weightsEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  let url: string;
  try {
    url = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(
        () => reject(new Error(`serve printed no URL in 60 s: ${out}${err}`)),
        60_000,
      );
      child.stdout.on('data', (d) => {
        out += d;
        const m = /Grad-CAM Explorer: (http:\/\/\S+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1].endsWith('/') ? m[1] : `${m[1]}/`);
        }
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`serve exited with ${code}: ${err}`));
      });
    });
  } catch (e) {
    child.kill('SIGTERM');
    removeCache();
    throw e;
  }
  return {
    url,
    kind: 'cli',
    close: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      removeCache();
    },
  };
}

export interface WeightsMirror {
  /** For GRADCAM_WEIGHTS_BASE_URL, e.g. `http://127.0.0.1:40123/`. */
  url: string;
  /** Paths requested, in order. */
  hits: string[];
  close(): Promise<void>;
}

/**
 * A local stand-in for Keras' storage (the real one is out of reach here): serves the files of
 * `dir` by name, each in `chunks` pieces `delayMs` apart so that a download shows its progress.
 * Start `gradcam-explorer serve` with `GRADCAM_WEIGHTS_BASE_URL: mirror.url` to download from it.
 */
export async function startWeightsMirror(
  dir: string,
  { chunks = 25, delayMs = 40 } = {},
): Promise<WeightsMirror> {
  const hits: string[] = [];
  const server = createHttpServer((req, res) => {
    hits.push(req.url ?? '');
    let bytes: Buffer;
    try {
      bytes = readFileSync(join(dir, basename(decodeURIComponent(req.url ?? ''))));
    } catch {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-length': bytes.length });
    const step = Math.ceil(bytes.length / chunks);
    let off = 0;
    const next = () => {
      if (res.destroyed) return;
      if (off >= bytes.length) return void res.end();
      res.write(bytes.subarray(off, off + step));
      off += step;
      setTimeout(next, delayMs);
    };
    next();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    hits,
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

export async function newPage(
  browser: Browser,
  viewport = { width: 1440, height: 900 },
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  // Before any page script: asks the app to install window.__gradcamTest (src/testing/).
  await context.addInitScript(() => {
    window.__GRADCAM_TEST_HOOKS__ = true;
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return { context, page, errors };
}

/** Waits until the selected network is loaded and idle. */
export async function waitForModel(page: Page, timeout = 120_000): Promise<void> {
  await page.waitForFunction(() => window.__gradcamTest?.modelReady === true, null, { timeout });
}

/** Uploads a file through the page's file input (what the picker does). */
export async function upload(page: Page, path: string): Promise<void> {
  await page.getByTestId('photo-input').setInputFiles(path);
}

/** Waits for a drawn heatmap explaining `classIndex` (any class when omitted). */
export async function waitForHeatmap(
  page: Page,
  classIndex?: number,
  timeout = 60_000,
): Promise<void> {
  await page.waitForFunction(
    (c) => {
      const t = window.__gradcamTest;
      return !!t?.lastMap && !!t.explained && (c === null || t.explained.classIndex === c);
    },
    classIndex ?? null,
    { timeout },
  );
}

export const workerMessages = (page: Page) =>
  page.evaluate(() => window.__gradcamTest!.workerMessages());
