// End-to-end test of "Can I trust this map?" in Chromium against the served app, with the real
// MobileNetV2 weights: deletion and insertion measured, two methods compared, cancelling.
import { describe, expect, it } from 'vitest';
import { IMAGES, upload, waitForHeatmap } from './harness';
import { BULL_MASTIFF, e2eSkip, useApp } from './app-helpers';

const skip = e2eSkip();
const app = useApp(skip);

describe.skipIf(skip !== null)('Grad-CAM Explorer in Chromium', () => {
  it('measures how faithful maps are, compares two methods, and cancels', async () => {
    const { context, page, errors } = await app.openWithPhoto();
    const panel = page.getByRole('region', { name: 'Can I trust this map?' });
    const auc = async (kind: string) => Number(await panel.getByTestId(`auc-${kind}`).innerText());
    const rows = panel.locator('[data-testid="auc-table"] tbody tr');

    await panel.getByRole('button', { name: 'Measure', exact: true }).click();
    await panel.getByTestId('trust-result').waitFor({ timeout: 60_000 });
    const del = await auc('deletion');
    const ins = await auc('insertion');
    // Grad-CAM on the bull mastiff: removing the mapped pixels hurts far more than revealing them.
    expect(del).toBeGreaterThanOrEqual(0);
    expect(del).toBeLessThan(ins);
    expect(await panel.getByTestId('confidence-change').innerText()).toMatch(
      /^Multiplying the image by the map: 57\.0 %[\s\S]*\s[\d.]+ % \(a drop of \d+ %/,
    );
    expect(await panel.getByTestId('logit-range').innerText()).toMatch(
      /^Logit of “bull mastiff”: -?\d+\.\d\d on the photo, -?\d+\.\d\d on the baseline image \(probability 57\.0 %/,
    );
    expect(await panel.locator('figure.curve-figure figcaption').count()).toBe(2);
    expect(await rows.count()).toBe(1);

    await page.locator('label.method-option', { hasText: 'Grad-CAM++' }).click();
    await page.waitForFunction(() => window.__gradcamTest?.explained?.method === 'gradcam++');
    await panel.getByRole('button', { name: 'Measure', exact: true }).click();
    await expect.poll(() => rows.count(), { timeout: 60_000 }).toBe(2);
    // The earlier method is drawn muted beside the new one, and named in the legend.
    expect(await panel.locator('path.line.previous').count()).toBe(2);
    expect(await panel.locator('.curve-legend').innerText()).toMatch(/Grad-CAM at[\s\S]*before/);

    // A measurement with the other baseline, cancelled: nothing new is kept.
    await panel.getByLabel('Black').check();
    await panel.getByRole('button', { name: 'Measure', exact: true }).click();
    await panel.getByRole('button', { name: 'Cancel' }).click();
    await panel.getByText('Measurement cancelled.').waitFor();
    expect(await rows.count()).toBe(2);
    expect(await panel.getByTestId('trust-result').count()).toBe(0);

    // A new photo clears the results (the old heatmap may still be drawn for a moment: poll).
    await upload(page, `${IMAGES}/both.png`);
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(0);
    await waitForHeatmap(page, BULL_MASTIFF);
    await panel.waitFor();
    expect(await rows.count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });
});
