// Helpers shared by the dashboard e2e tests (explain, photos, accessibility, trust,
// weights-loading): the classes of both.png, the bar labels, a page with a photo explained, and
// the size of a downloaded PNG.
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { IMAGES, newPage, upload, waitForHeatmap, waitForModel } from './harness';

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

/** Width and height from a PNG's IHDR chunk. */
export function pngSize(buf: Buffer): [number, number] {
  expect(buf.subarray(1, 4).toString('latin1')).toBe('PNG');
  return [buf.readUInt32BE(16), buf.readUInt32BE(20)];
}
