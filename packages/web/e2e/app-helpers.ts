// Helpers shared by the dashboard e2e tests (explain, photos, accessibility, trust,
// weights-loading): the classes of both.png, the bar labels, a page with a photo explained, and
// the size of a downloaded PNG.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import {
  IMAGES,
  launchBrowser,
  missingPrerequisite,
  newPage,
  startAppServer,
  upload,
  waitForHeatmap,
  waitForModel,
  type AppServer,
} from './harness';

export const BULL_MASTIFF = 243;
export const TIGER_CAT = 282;

export const barLabels = (page: Page) => page.locator('.bars .bar-label').allInnerTexts();

/** A new page on the app at `url`, the model loaded and `photo` (a shared test photo) explained. */
export async function openPageWithPhoto(browser: Browser, url: string, photo = 'both.png') {
  const ctx = await newPage(browser);
  await ctx.page.goto(url);
  await waitForModel(ctx.page);
  await upload(ctx.page, `${IMAGES}/${photo}`);
  await waitForHeatmap(ctx.page);
  return ctx;
}

/** Why the e2e suites cannot run on this machine (said once per file), or null. */
export function e2eSkip(): string | null {
  const skip = missingPrerequisite();
  if (skip) console.warn(`[e2e] skipped: ${skip}`);
  return skip;
}

/** The served app and Chromium, for the tests of one file or describe block. */
export interface App {
  readonly server: AppServer;
  readonly browser: Browser;
  /** A new page on the app (test hooks installed), at `viewport`. */
  open(viewport?: { width: number; height: number }): ReturnType<typeof newPage>;
  /** A new page with the model loaded and `photo` (a shared test photo) explained. */
  openWithPhoto(photo?: string): ReturnType<typeof newPage>;
}

/**
 * Starts the app server (with `env`, read when it starts) and Chromium before the tests of the
 * enclosing scope, and stops both after them; nothing is started when `skip` says why not.
 */
export function useApp(skip: string | null, env: () => Record<string, string> = () => ({})): App {
  let server: AppServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    if (skip) return;
    server = await startAppServer(env());
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  const app: App = {
    get server() {
      if (!server) throw new Error('The app server is not running');
      return server;
    },
    get browser() {
      if (!browser) throw new Error('The browser is not running');
      return browser;
    },
    async open(viewport) {
      const ctx = await newPage(app.browser, viewport);
      await ctx.page.goto(app.server.url);
      return ctx;
    },
    openWithPhoto: (photo) => openPageWithPhoto(app.browser, app.server.url, photo),
  };
  return app;
}

/** Width and height from a PNG's IHDR chunk. */
export function pngSize(buf: Buffer): [number, number] {
  expect(buf.subarray(1, 4).toString('latin1')).toBe('PNG');
  return [buf.readUInt32BE(16), buf.readUInt32BE(20)];
}
