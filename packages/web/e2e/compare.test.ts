// End-to-end tests of step 3's side-by-side views in Chromium, with the real MobileNetV2 weights:
// "Compare classes", "Compare methods" and "Compare networks" (a second network with generated
// weights of the official ResNet50 layout, the others without weights), their PNGs, and that their
// results survive a network switch but not a new photo.
import { copyFileSync, linkSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getModelSpec } from '@gradcam-explorer/core';
import { generateWeightsFile } from '../../core/src/testing/generate-weights';
import { useWasmBackend } from '../../core/src/testing/node';
import { IMAGES, MOBILENET_FILE, upload, waitForHeatmap, WEIGHTS_DIR } from './harness';
import { BULL_MASTIFF, pngSize, TIGER_CAT, e2eSkip, useApp } from './app-helpers';

const skip = e2eSkip();

const tab = (page: Page, name: string) => page.getByRole('tab', { name, exact: true });

/** Downloads through `click` and returns the file name and the PNG's size. */
async function downloadPng(page: Page, click: () => Promise<void>) {
  const download = page.waitForEvent('download');
  await click();
  const d = await download;
  return { name: d.suggestedFilename(), size: pngSize(readFileSync(await d.path())) };
}

describe.skipIf(skip !== null)('Compare classes and methods', () => {
  const app = useApp(skip);

  it('Compare classes: the top-k maps in one grid, shared scale, PNG, kept until the photo changes', async () => {
    const { context, page, errors } = await app.openWithPhoto();
    await tab(page, 'Compare classes').click();
    const grid = page.getByTestId('compare-classes-grid');
    // k = 3 (step 2's default): bull mastiff, boxer, tiger cat.
    await expect.poll(() => grid.locator('figure.map-tile').count(), { timeout: 60_000 }).toBe(3);
    const titles = await grid.locator('.tile-title').allInnerTexts();
    expect(titles[0]).toMatch(/^1\. bull mastiff 57\.0 %$/);
    expect(titles[2]).toMatch(/^3\. tiger cat/);
    const metas = await grid.locator('.tile-meta').allInnerTexts();
    expect(metas[0]).toMatch(/^raw max 0\.75\d$/);
    expect(await page.locator('.compare-title').innerText()).toBe(
      'Grad-CAM of the top 3 classes of both.png on MobileNetV2 at out_relu',
    );

    // Shared scale: every map but the strongest is drawn on the strongest one's scale.
    await page.getByLabel('Shared scale').check();
    await expect
      .poll(() => grid.locator('.tile-meta', { hasText: '% of the shared scale' }).count())
      .toBe(2);
    await page.getByLabel('Shared scale').uncheck();

    // k = 5 in step 2: the grid follows.
    await page.locator('#k-range').fill('5');
    await expect.poll(() => grid.locator('figure.map-tile').count(), { timeout: 60_000 }).toBe(5);

    const png = await downloadPng(page, () =>
      page.getByRole('button', { name: 'Download PNG' }).click(),
    );
    expect(png.name).toBe('both-classes-mobilenet_v2-gradcam.png');
    // Four tiles (320 px) a row, with padding; two rows with captions under a title.
    expect(png.size[0]).toBe(16 + 4 * (320 + 16));
    expect(png.size[1]).toBeGreaterThan(2 * 320);

    // Another network in step 1 (its weights are missing): the grid stays, named for MobileNetV2.
    await page.locator('label.model-card:has(input[value="resnet50"])').click();
    await tab(page, 'Compare classes').click();
    expect(await grid.locator('figure.map-tile').count()).toBe(5);
    await page.getByText('These maps are from before the last change').waitFor();

    // A new photo: the old maps go.
    await page.locator('label.model-card:has(input[value="mobilenet_v2"])').click();
    await upload(page, `${IMAGES}/cat.bmp`);
    await expect
      .poll(() => page.getByTestId('class-tile-243').count(), { timeout: 60_000 })
      .toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('Compare methods: every method with its deletion and insertion scores, and a PNG', async () => {
    const { context, page, errors } = await app.openWithPhoto();
    await page.locator('label.bar', { hasText: 'tiger cat' }).click();
    await waitForHeatmap(page, TIGER_CAT);
    await tab(page, 'Compare methods').click();
    await page.getByRole('progressbar', { name: /every method/i }).waitFor();
    const grid = page.getByTestId('compare-methods-grid');
    await grid.waitFor({ timeout: 180_000 });
    expect(await page.locator('.compare-title').innerText()).toBe(
      'Every method for “tiger cat” on both.png, MobileNetV2 at out_relu (blur baseline)',
    );
    const names = await grid.locator('.tile-title').allInnerTexts();
    expect(names).toEqual([
      'Grad-CAM',
      'Grad-CAM++',
      'XGrad-CAM',
      'HiResCAM',
      'LayerCAM',
      'Eigen-CAM',
      'Score-CAM (64 channels)',
      'Guided backpropagation',
      'Guided Grad-CAM',
    ]);
    const scores = await grid.getByTestId('method-scores').allInnerTexts();
    expect(scores).toHaveLength(9);
    for (const s of scores) expect(s).toMatch(/^deletion 0\.\d+( ★)? · insertion 0\.\d+( ★)?$/);
    // One best of each kind (or ties).
    expect(scores.join(' ').match(/★/g)!.length).toBeGreaterThanOrEqual(2);

    const png = await downloadPng(page, () =>
      page.getByRole('button', { name: 'Download PNG' }).click(),
    );
    expect(png.name).toBe(`both-methods-mobilenet_v2-${TIGER_CAT}.png`);
    expect(png.size[0]).toBe(16 + 4 * (320 + 16));

    // The class changes: the maps stay, marked as answering the earlier question.
    await page.locator('label.bar', { hasText: 'bull mastiff' }).click();
    await tab(page, 'Heatmap').click();
    await waitForHeatmap(page, BULL_MASTIFF);
    await tab(page, 'Compare methods').click();
    await page.getByText('the question has changed since').waitFor();
    expect(await grid.locator('figure.map-tile').count()).toBe(9);
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe.skipIf(skip !== null)('Compare networks', () => {
  let weightsDir: string;

  beforeAll(async () => {
    // The server's weights folder: the real MobileNetV2 file and a ResNet50 file of the official
    // layout with generated values (the real one is not on this machine).
    await useWasmBackend();
    const spec = getModelSpec('resnet50');
    const generated = await generateWeightsFile(spec, { legacy: true });
    weightsDir = mkdtempSync(join(tmpdir(), 'gradcam-e2e-networks-'));
    const place = (from: string, name: string) => {
      try {
        linkSync(from, join(weightsDir, name));
      } catch {
        copyFileSync(from, join(weightsDir, name));
      }
    };
    place(join(WEIGHTS_DIR, MOBILENET_FILE), MOBILENET_FILE);
    place(generated, spec.weights.fileName);
  }, 300_000);

  afterAll(() => {
    if (weightsDir) rmSync(weightsDir, { recursive: true, force: true });
  });

  // Started after the folder above is ready (hooks run in order), stopped before it is removed.
  const app = useApp(skip, () => ({ GRADCAM_WEIGHTS_DIR: weightsDir }));

  it('every network with weights: its grid and prediction; the others say how to get them; kept across a switch', async () => {
    const { context, page, errors } = await app.openWithPhoto();
    await tab(page, 'Compare networks').click();
    const mobile = page.getByTestId('network-tile-mobilenet_v2');
    const resnet = page.getByTestId('network-tile-resnet50');
    await mobile.locator('canvas').waitFor({ timeout: 60_000 });
    expect(await mobile.getByTestId('network-grid').innerText()).toBe(
      '7×7 grid at out_relu (1280 channels)',
    );
    expect(await mobile.getByTestId('network-prediction').innerText()).toBe(
      'Predicts bull mastiff (57.0 %)',
    );
    // ResNet50 is fetched from the server, built in the worker beside MobileNetV2, then dropped.
    await resnet.locator('canvas').waitFor({ timeout: 240_000 });
    expect(await resnet.getByTestId('network-grid').innerText()).toBe(
      '7×7 grid at conv5_block3_out (2048 channels)',
    );
    expect(await resnet.getByTestId('network-prediction').innerText()).toMatch(/^Predicts .+/);
    const missing = page.getByTestId('networks-missing');
    for (const id of ['vgg16', 'vgg19', 'resnet101', 'resnet152', 'xception']) {
      const text = await missing.getByTestId(`network-missing-${id}`).innerText();
      expect(text).toContain(getModelSpec(id).weights.fileName);
      expect(text).toMatch(/press Download/);
    }
    await page.getByRole('progressbar').waitFor({ state: 'detached', timeout: 60_000 });
    expect(await page.getByTestId('compare-networks-grid').locator('figure').count()).toBe(2);

    const png = await downloadPng(page, () =>
      page.getByRole('button', { name: 'Download PNG' }).click(),
    );
    expect(png.name).toBe(`both-networks-gradcam-${BULL_MASTIFF}.png`);
    expect(png.size[0]).toBe(16 + 2 * (320 + 16));

    // Choosing a network in step 1 used to discard everything: these maps stay.
    await page.locator('label.model-card:has(input[value="resnet101"])').click();
    await tab(page, 'Compare networks').click();
    expect(await mobile.locator('canvas').count()).toBe(1);
    expect(await resnet.locator('canvas').count()).toBe(1);
    // And the page still works: back to MobileNetV2, the heatmap is the same as before.
    await page.locator('label.model-card:has(input[value="mobilenet_v2"])').click();
    await tab(page, 'Heatmap').click();
    await waitForHeatmap(page, BULL_MASTIFF);
    await tab(page, 'Compare networks').click();
    expect(await resnet.locator('canvas').count()).toBe(1);
    expect(errors).toEqual([]);
    await context.close();
  });
});
