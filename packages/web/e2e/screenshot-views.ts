// Screenshots of the views that teach by experiment (`npm run screenshot -w packages/web` with
// SCREENSHOT_ALL=1 or SCREENSHOT_VIEWS=1): "How was this computed?", the weak counterfactual on a
// shared scale, hide-and-predict going the wrong way, the first minute, each at 1440x900 and at
// 390x844, into `<dir>/views/`.
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { IMAGES, newPage, upload, waitForHeatmap, waitForModel } from './harness';

const SIZES = [
  { name: 'desktop', width: 1440, height: 900 },
  { name: 'phone', width: 390, height: 844 },
] as const;

async function shot(page: Page, dir: string, name: string, full = false) {
  await page.mouse.move(0, 0);
  await page.screenshot({ path: `${dir}/${name}.png`, fullPage: full });
  console.log(`wrote ${dir}/${name}.png`);
}

/** The screen with `until` at its bottom (what is above it, the heatmap, in its place). */
async function shotFrom(page: Page, dir: string, name: string, until: string) {
  await page.locator(until).evaluate((e) => e.scrollIntoView({ block: 'end' }));
  await shot(page, dir, name);
}

async function pointAtCell(page: Page, row: number, col: number) {
  const box = (await page.getByTestId('cell-picker').boundingBox())!;
  await page.mouse.click(
    box.x + ((col + 0.5) * box.width) / 7,
    box.y + ((row + 0.5) * box.height) / 7,
  );
}

export async function shootNewViews(browser: Browser, url: string, out: string): Promise<void> {
  const dir = `${out}/views`;
  mkdirSync(dir, { recursive: true });
  for (const size of SIZES) {
    const { page, context } = await newPage(browser, { width: size.width, height: size.height });
    const s = size.name;
    await page.goto(url);
    await page.getByTestId('model-banner').waitFor();
    await shot(page, dir, `${s}-first-minute-loading`);
    await waitForModel(page);
    await shot(page, dir, `${s}-first-minute-ready`);
    // The shipped sample when there is one (none ship yet: see public/samples), else the same
    // photo from the shared test photos.
    const sample = page.getByRole('button', { name: 'Dog and cat' });
    if (await sample.count()) await sample.click();
    else await upload(page, `${IMAGES}/both.png`);
    await waitForHeatmap(page, 243);
    await page.waitForTimeout(600); // the phone scrolls to the result
    await shot(page, dir, `${s}-sample-explained`);

    // "How was this computed?": stage 1 with a cell inspected, then the weights and the sum.
    await page.getByRole('tab', { name: 'How was this computed?' }).click();
    await page.getByTestId('stage-panel').waitFor();
    await page.getByTestId('cell-picker').scrollIntoViewIfNeeded();
    await pointAtCell(page, 2, 3);
    await page.getByRole('tab', { name: 'How was this computed?' }).scrollIntoViewIfNeeded();
    await shot(page, dir, `${s}-anatomy-stage1`);
    await page.getByRole('tab', { name: /^3\. / }).click();
    await shot(page, dir, `${s}-anatomy-stage3`);
    await page.getByRole('tab', { name: /^5\. / }).click();
    await shot(page, dir, `${s}-anatomy-stage5-full`, true);
    await page.locator('#anatomy-method').selectOption('layercam');
    await page.waitForFunction(() => window.__gradcamTest?.explained?.method === 'layercam');
    await page.getByRole('tab', { name: /^3\. / }).click();
    await page.getByTestId('channel-card').waitFor();
    await shot(page, dir, `${s}-anatomy-layercam-full`, true);
    await page.locator('#anatomy-method').selectOption('gradcam');
    await page.waitForFunction(() => window.__gradcamTest?.explained?.method === 'gradcam');

    // Honest scales: the weak "tiger cat" counterfactual, on its own and on a shared scale.
    await page.getByRole('tab', { name: 'Heatmap', exact: true }).click();
    await page.locator('label.bar', { hasText: 'tiger cat' }).click();
    await waitForHeatmap(page, 282);
    await page.getByLabel(/Counterfactual/).check();
    await page.waitForFunction(() => window.__gradcamTest?.explained?.counterfactual === true);
    await page.getByTestId('evidence-note').waitFor();
    await shotFrom(page, dir, `${s}-weak-counterfactual`, '[data-testid="evidence-note"]');
    await page.getByRole('button', { name: 'Show it on a shared scale' }).click();
    await shotFrom(page, dir, `${s}-shared-scale`, '[data-testid="evidence-note"]');
    await page.getByRole('button', { name: 'Hide and predict again' }).click();
    await page.getByTestId('hide-wrong-way').scrollIntoViewIfNeeded();
    await shot(page, dir, `${s}-hide-wrong-way`);

    // The grouped colormaps.
    await page.getByRole('button', { name: /Colormap/ }).click();
    await page.locator('.cmap-grid').scrollIntoViewIfNeeded();
    await shot(page, dir, `${s}-colormaps`);
    await context.close();
  }
  // Upload on a phone, as the learner does it: the result scrolls into view.
  const { page, context } = await newPage(browser, { width: 390, height: 844 });
  await page.goto(url);
  await waitForModel(page);
  await upload(page, `${IMAGES}/both.png`);
  await waitForHeatmap(page, 243);
  await page.waitForTimeout(800);
  await shot(page, dir, 'phone-after-upload');
  await page.locator('#opacity').focus();
  await page.keyboard.press('End');
  await shot(page, dir, 'phone-opacity-heatmap-in-view');
  await context.close();
}
