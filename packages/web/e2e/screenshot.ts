// `npm run screenshot -w packages/web`: screenshots of the real page (served app, shared
// MobileNetV2 weights, both.png, Grad-CAM) into docs/screenshot.png; with SCREENSHOT_ALL=1 also a
// few other states into docs/screenshots/ (counterfactual, laptop size), and the views that teach
// by experiment into docs/views/ (also alone with SCREENSHOT_VIEWS=1, see screenshot-views.ts).
import { mkdirSync } from 'node:fs';
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
import { shootNewViews } from './screenshot-views';

const skip = missingPrerequisite();
if (skip) {
  console.log(`screenshot skipped: ${skip}`);
  process.exit(0);
}
const out = process.env.SCREENSHOT_DIR ?? `${REPO}docs`;
mkdirSync(out, { recursive: true });
const server = await startAppServer();
const browser = await launchBrowser();
try {
  const { page, context, errors } = await newPage(browser);
  await page.goto(server.url);
  await waitForModel(page);
  await upload(page, `${IMAGES}/both.png`);
  await waitForHeatmap(page, 243);
  await page.mouse.move(0, 0);
  await page.screenshot({ path: `${out}/screenshot.png` });
  console.log(`wrote ${out}/screenshot.png`);
  if (process.env.SCREENSHOT_ALL === '1') {
    const more = `${out}/screenshots`;
    mkdirSync(more, { recursive: true });
    await page.locator('label.bar', { hasText: 'tiger cat' }).click();
    await waitForHeatmap(page, 282);
    await page.getByLabel(/Counterfactual/).check();
    await page.waitForFunction(() => window.__gradcamTest?.explained?.counterfactual === true);
    await page.getByRole('button', { name: 'Hide and predict again' }).click();
    await page.getByTestId('hide-result').waitFor();
    await page.getByRole('button', { name: /Colormap/ }).click();
    await page.mouse.move(0, 0);
    await page.screenshot({ path: `${more}/counterfactual-full.png`, fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByRole('button', { name: /Colormap/ }).click();
    await page.screenshot({ path: `${more}/laptop-1280.png` });
    await page.setViewportSize({ width: 900, height: 1000 });
    await page.screenshot({ path: `${more}/narrow-900.png`, fullPage: true });
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.getByRole('button', { name: 'Learn more' }).click();
    await page.locator('dialog[open] h2').first().waitFor();
    await page.screenshot({ path: `${more}/learn-more.png` });
    await page.keyboard.press('Escape');
    await page.locator('label.model-card:has(input[value="resnet50"])').click();
    await page.getByRole('button', { name: /^Download/ }).click();
    await page.locator('.weights-panel [role="alert"]').waitFor();
    await page.screenshot({ path: `${more}/offline.png` });
    console.log(`wrote ${more}/*.png`);
  }
  if (errors.length) console.log('page errors:', errors);
  await context.close();
  if (process.env.SCREENSHOT_ALL === '1' || process.env.SCREENSHOT_VIEWS === '1') {
    await shootNewViews(browser, server.url, out);
  }
} finally {
  await browser.close();
  await server.close();
}
