// End-to-end tests of the photo in Chromium against the served app, with the real MobileNetV2
// weights: Reset, bad files, the photo's aspect and the full-resolution export, photos in quick
// succession, and a photo dropped on the page or pasted.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { IMAGES, upload, waitForHeatmap, waitForModel } from './harness';
import { BULL_MASTIFF, barLabels, pngSize, e2eSkip, useApp } from './app-helpers';

const skip = e2eSkip();
const app = useApp(skip);

describe.skipIf(skip !== null)('Grad-CAM Explorer in Chromium', () => {
  it('Reset returns to the initial state', async () => {
    const { context, page } = await app.openWithPhoto();
    await page.locator('#k-range').focus();
    await page.keyboard.press('End');
    await page.locator('label.method-option', { hasText: 'LayerCAM' }).click();
    await page.getByRole('button', { name: 'Reset' }).click();
    await expect.poll(() => page.locator('.bars li').count()).toBe(0);
    expect(await page.getByTestId('overlay').count()).toBe(0);
    expect(await page.locator('figure.original img').count()).toBe(0);
    expect(await page.locator('label[for="k-range"] output').innerText()).toBe('3');
    expect(await page.locator('input[name="method"][value="gradcam"]').isChecked()).toBe(true);
    expect(await page.locator('#opacity').inputValue()).toBe('50');
    expect(await page.evaluate(() => window.__gradcamTest!.lastMap)).toBeNull();
    // And it works again afterwards.
    await upload(page, `${IMAGES}/both.png`);
    await waitForHeatmap(page, BULL_MASTIFF);
    await context.close();
  });

  it('reports bad files next to the upload button and stays usable', async () => {
    const { context, page } = await app.open();
    await waitForModel(page);
    const input = page.getByTestId('photo-input');
    const alert = page.locator('.upload [role="alert"]');

    await input.setInputFiles({
      name: 'notes.jpg',
      mimeType: 'image/jpeg',
      buffer: Buffer.from('These are my notes, not a photo.\n'),
    });
    await expect.poll(() => alert.innerText()).toMatch(/"notes.jpg" is not an image/);

    await input.setInputFiles({
      name: 'empty.png',
      mimeType: 'image/png',
      buffer: Buffer.alloc(0),
    });
    await expect.poll(() => alert.innerText()).toMatch(/empty \(0 bytes\)/);

    const png = readFileSync(`${IMAGES}/both.png`);
    const huge = Buffer.from(png.subarray(0, 33));
    huge.writeUInt32BE(30000, 16);
    huge.writeUInt32BE(30000, 20);
    await input.setInputFiles({ name: 'huge.png', mimeType: 'image/png', buffer: huge });
    await expect.poll(() => alert.innerText()).toMatch(/900 megapixels/);

    await input.setInputFiles({
      name: 'cut.png',
      mimeType: 'image/png',
      buffer: png.subarray(0, 2000),
    });
    await expect.poll(() => alert.innerText()).toMatch(/damaged or incomplete/);

    await upload(page, `${IMAGES}/both.png`);
    await waitForHeatmap(page, BULL_MASTIFF);
    expect(await alert.count()).toBe(0);
    expect((await barLabels(page))[0]).toBe('bull mastiff');
    await context.close();
  });

  it('keeps the photo aspect and exports the overlay at full resolution', async () => {
    const { context, page } = await app.openWithPhoto('kite_and_cold.jpg');
    const size = await page
      .getByTestId('overlay')
      .evaluate((c: HTMLCanvasElement) => [c.width, c.height]);
    expect(size[0] / size[1]).toBeCloseTo(1352 / 900, 2);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download PNG' }).click();
    const d = await download;
    expect(d.suggestedFilename()).toMatch(/^kite_and_cold-mobilenet_v2-gradcam-.+\.png$/);
    expect(pngSize(readFileSync(await d.path()))).toEqual([1352, 900]);
    await context.close();
  });

  it('shows only the newest photo when photos arrive in quick succession', async () => {
    const { context, page } = await app.open();
    await waitForModel(page);
    const input = page.getByTestId('photo-input');
    await input.setInputFiles(`${IMAGES}/kite_and_cold.jpg`);
    await input.setInputFiles(`${IMAGES}/both.png`);
    await waitForHeatmap(page, BULL_MASTIFF);
    // Let any late answer for the first photo arrive: it must not replace the second.
    await page.waitForTimeout(1500);
    expect((await barLabels(page))[0]).toBe('bull mastiff');
    expect(await page.evaluate(() => window.__gradcamTest!.explained!.classIndex)).toBe(
      BULL_MASTIFF,
    );
    expect(await page.locator('figure.original img').getAttribute('alt')).toMatch(/both\.png/);
    await context.close();
  });

  it('accepts a photo dropped anywhere on the page, and one pasted from the clipboard', async () => {
    const { context, page } = await app.open();
    await waitForModel(page);
    const b64 = readFileSync(`${IMAGES}/both.png`).toString('base64');
    const transfer = (name: string) =>
      page.evaluateHandle(
        ([data, n]) => {
          const dt = new DataTransfer();
          const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
          dt.items.add(new File([bytes], n, { type: 'image/png' }));
          return dt;
        },
        [b64, name] as const,
      );
    // Dropped on the Predict step, far from the upload button.
    const dropped = await transfer('dropped.png');
    await page.dispatchEvent('#step-predict', 'dragenter', { dataTransfer: dropped });
    await page.locator('.drop-overlay').waitFor();
    await page.dispatchEvent('#step-predict', 'dragover', { dataTransfer: dropped });
    await page.dispatchEvent('#step-predict', 'drop', { dataTransfer: dropped });
    await waitForHeatmap(page, BULL_MASTIFF);
    expect(await page.locator('.drop-overlay').count()).toBe(0);
    expect(await page.locator('figure.original img').getAttribute('alt')).toMatch(/dropped\.png/);

    const pasted = await transfer('pasted.png');
    await page.evaluate(
      (dt) => window.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt })),
      pasted,
    );
    await expect
      .poll(() => page.locator('figure.original img').getAttribute('alt'))
      .toMatch(/pasted\.png/);
    await waitForHeatmap(page, BULL_MASTIFF);
    await context.close();
  });
});
