// `npx tsx e2e/compare-screenshots.ts`: screenshots of step 3's compare views and sanity check (the
// served app, shared MobileNetV2 weights, both.png) at 1440x900 and on a 390x844 phone, into
// SCREENSHOT_DIR (default docs/screenshots/compare): the viewport, and step 3 as a whole.
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import {
  IMAGES,
  REPO,
  launchBrowser,
  missingPrerequisite,
  newPage,
  startAppServer,
  upload,
  waitForHeatmap,
  waitForModel,
} from './harness';

const skip = missingPrerequisite();
if (skip) {
  console.log(`screenshots skipped: ${skip}`);
  process.exit(0);
}
const out = process.env.SCREENSHOT_DIR ?? `${REPO}docs/screenshots/compare`;
mkdirSync(out, { recursive: true });

const VIEWS = [
  ['Compare classes', 'classes', (p: Page) => p.getByTestId('compare-classes-grid')],
  ['Compare networks', 'networks', (p: Page) => p.getByTestId('networks-missing')],
  ['Compare methods', 'methods', (p: Page) => p.getByTestId('compare-methods-grid')],
  ['Sanity check', 'sanity', (p: Page) => p.getByTestId('sanity-result')],
] as const;

const server = await startAppServer();
const browser = await launchBrowser();
try {
  for (const [size, viewport] of [
    ['1440', { width: 1440, height: 900 }],
    ['390', { width: 390, height: 844 }],
  ] as const) {
    const { page, context, errors } = await newPage(browser, viewport);
    await page.goto(server.url);
    await waitForModel(page);
    await upload(page, `${IMAGES}/both.png`);
    await waitForHeatmap(page, 243);
    for (const [tab, name, ready] of VIEWS) {
      await page.getByRole('tab', { name: tab, exact: true }).click();
      if (name === 'sanity' && !(await ready(page).count())) {
        await page.getByRole('button', { name: 'Run the sanity check' }).click();
      }
      await ready(page).waitFor({ timeout: 240_000 });
      await page.getByRole('progressbar').waitFor({ state: 'detached', timeout: 240_000 });
      const step = page.locator('section.step-explain');
      await step.scrollIntoViewIfNeeded();
      await page.mouse.move(0, 0);
      await page.screenshot({ path: `${out}/${name}-${size}.png` });
      await step.screenshot({ path: `${out}/${name}-${size}-step3.png` });
      console.log(`wrote ${out}/${name}-${size}.png, ${name}-${size}-step3.png`);
    }
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    console.log(`${size}: page width ${width}`);
    if (errors.length) console.log('page errors:', errors);
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}
