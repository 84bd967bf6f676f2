// End-to-end test of "Sanity check" (Adebayo et al. 2018, cascading randomisation) in Chromium with
// the real MobileNetV2 weights: progress and Cancel, the curves, maps and numbers, and the trained
// network intact afterwards (the same predictions, to the last digit, for the same photo).
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { IMAGES, upload, waitForHeatmap } from './harness';
import { BULL_MASTIFF, e2eSkip, useApp } from './app-helpers';

const skip = e2eSkip();
const app = useApp(skip);

/** Classifies both.png again and returns the predictions as the worker computed them. */
async function predictionsAfterReupload(page: Page) {
  await page.evaluate(() => {
    window.__gradcamTest!.predictions = null;
  });
  await upload(page, `${IMAGES}/both.png`);
  // The heatmap is drawn (and reported to the test hooks) in the Heatmap view.
  await page.getByRole('tab', { name: 'Heatmap', exact: true }).click();
  await page.waitForFunction(() => window.__gradcamTest?.predictions != null, null, {
    timeout: 60_000,
  });
  await waitForHeatmap(page, BULL_MASTIFF);
  return page.evaluate(() => window.__gradcamTest!.predictions);
}

const cell = (row: string[], col: number) => Number(row[col].replace('−', '-'));

describe.skipIf(skip !== null)('Sanity check', () => {
  it('randomises MobileNetV2 block by block: Grad-CAM changes, guided backprop barely; weights restored', async () => {
    const { context, page, errors } = await app.openWithPhoto();
    const before = await page.evaluate(() => window.__gradcamTest!.predictions);
    const workerBefore = await page.evaluate(() => window.__gradcamTest!.workerMessages());
    await page.getByRole('tab', { name: 'Sanity check', exact: true }).click();
    // Only tabs so far: nothing was sent to the worker.
    expect(await page.evaluate(() => window.__gradcamTest!.workerMessages())).toBe(workerBefore);
    expect(await page.getByLabel('Grad-CAM', { exact: true }).isChecked()).toBe(true);
    expect(await page.getByLabel('Guided backpropagation', { exact: true }).isChecked()).toBe(true);

    // Started, then cancelled in the middle of the cascade.
    await page.getByRole('button', { name: 'Run the sanity check' }).click();
    await page.getByText(/randomised block_\d+ \(\d+ of 20\)/).waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByText('Cancelled.', { exact: true }).waitFor();
    expect(await page.getByTestId('sanity-result').count()).toBe(0);
    // The trained network is back: the same photo classifies exactly as before.
    expect(await predictionsAfterReupload(page)).toEqual(before);

    // The whole run.
    await page.getByRole('tab', { name: 'Sanity check', exact: true }).click();
    await page.getByRole('button', { name: 'Run the sanity check' }).click();
    await page.getByRole('progressbar', { name: 'The sanity check progress' }).waitFor();
    const result = page.getByTestId('sanity-result');
    await result.waitFor({ timeout: 180_000 });
    expect(await result.locator('p.hint').first().innerText()).toBe(
      'MobileNetV2, “bull mastiff”, out_relu: 20 blocks randomised in turn, predictions first and Conv1 last.',
    );
    // Two charts (Spearman, SSIM) with the random baseline, 21 maps per method.
    for (const m of ['spearman', 'ssim']) {
      const chart = page.getByTestId(`sanity-chart-${m}`);
      expect(await chart.locator('path.line').count()).toBe(2);
      expect(await chart.locator('line.baseline').count()).toBe(2);
      expect(await chart.locator('svg').getAttribute('aria-label')).toMatch(/random baseline/);
    }
    expect(await page.getByTestId('sanity-maps-gradcam').locator('figure').count()).toBe(21);
    expect(await page.getByTestId('sanity-maps-guided-backprop').locator('figure').count()).toBe(
      21,
    );
    // The numbers: step, block, p(class), Grad-CAM rho and SSIM, guided backprop rho and SSIM.
    await page.getByText('The numbers, and how they are computed').click();
    const rows = await page
      .getByTestId('sanity-table')
      .locator('tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => Array.from(tr.children, (c) => (c as HTMLElement).innerText.trim())),
      );
    expect(rows).toHaveLength(23);
    expect(rows[0].slice(0, 3)).toEqual(['0', '(trained network)', '57.0 %']);
    expect(rows[0].slice(3)).toEqual(['1.00', '1.00', '1.00', '1.00']);
    expect(rows[1][1]).toBe('predictions');
    // The paper's result: with the classifier randomised, Grad-CAM's map is another map;
    // guided backprop's is nearly unchanged, and stays closer to its original than Grad-CAM's.
    expect(cell(rows[1], 3)).toBeLessThan(0.5);
    expect(cell(rows[1], 5)).toBeGreaterThan(0.9);
    expect(cell(rows[1], 6)).toBeGreaterThan(0.9);
    for (let i = 1; i <= 10; i++) expect(cell(rows[i], 5)).toBeGreaterThan(cell(rows[i], 3));
    expect(rows[21][1]).toMatch(/^Random baseline: this map against/);
    expect(await page.getByTestId('sanity-summary').innerText()).toMatch(
      /^With only the classifier \(predictions\) randomised: Grad-CAM ρ −0\.\d\d, SSIM 0\.\d\d; Guided backpropagation ρ 0\.9\d, SSIM 0\.9\d\./,
    );

    // The shared scale shows the Grad-CAM evidence fading as the network is destroyed.
    await page.getByLabel('Shared scale').check();
    await page.getByLabel('Shared scale').uncheck();

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download PNG' }).click();
    expect((await download).suggestedFilename()).toBe(
      `both-sanity-mobilenet_v2-${BULL_MASTIFF}.png`,
    );

    // Afterwards the network is the trained one again.
    expect(await predictionsAfterReupload(page)).toEqual(before);
    // The result belonged to the old photo (a new upload is a new photo).
    await page.getByRole('tab', { name: 'Sanity check', exact: true }).click();
    expect(await page.getByTestId('sanity-result').count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });
});
