// End-to-end tests of the dashboard in Chromium against the served app, with the real MobileNetV2
// weights (GRADCAM_WEIGHTS_DIR, default ../shared/weights) and the shared test photos.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, FileChooser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  IMAGES,
  MOBILENET_FILE,
  WEIGHTS_DIR,
  launchBrowser,
  missingPrerequisite,
  newPage,
  startAppServer,
  upload,
  waitForHeatmap,
  waitForModel,
  workerMessages,
  type AppServer,
} from './harness';
import { startContractServer } from './contract-server';

const skip = missingPrerequisite();
if (skip) console.warn(`[e2e] skipped: ${skip}`);

const BULL_MASTIFF = 243;
const TIGER_CAT = 282;

let server: AppServer;
let browser: Browser;

/** Where the heat is in the drawn overlay: mean (R - B) over the top and bottom halves (jet). */
function canvasHeat(page: Page): Promise<{ top: number; bottom: number }> {
  return page.evaluate(() => {
    const c = document.querySelector<HTMLCanvasElement>('[data-testid="overlay"]')!;
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let top = 0;
    let bottom = 0;
    const half = (c.height / 2) | 0;
    for (let y = 0; y < c.height; y++) {
      for (let x = 0; x < c.width; x++) {
        const o = 4 * (y * c.width + x);
        const h = d[o] - d[o + 2];
        if (y < half) top += h;
        else if (y >= c.height - half) bottom += h;
      }
    }
    const n = half * c.width;
    return { top: top / n, bottom: bottom / n };
  });
}

/** A cheap fingerprint of the overlay canvas pixels. */
function canvasHash(page: Page): Promise<number> {
  return page.evaluate(() => {
    const c = document.querySelector<HTMLCanvasElement>('[data-testid="overlay"]')!;
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let h = 0;
    for (let i = 0; i < d.length; i++) h = (Math.imul(h, 31) + d[i]) | 0;
    return h;
  });
}

/** Map weight in the top and bottom halves of the map the page drew (values exposed for tests). */
function mapHalves(page: Page): Promise<{ top: number; bottom: number; width: number }> {
  return page.evaluate(() => {
    const m = window.__gradcamTest!.lastMap!;
    let top = 0;
    let bottom = 0;
    for (let y = 0; y < m.height; y++) {
      for (let x = 0; x < m.width; x++) {
        const v = m.values[y * m.width + x];
        if (y < m.height / 2 - 0.5) top += v;
        else if (y > m.height / 2 - 0.5) bottom += v;
      }
    }
    return { top, bottom, width: m.width };
  });
}

const barLabels = (page: Page) => page.locator('.bars .bar-label').allInnerTexts();

async function openWithPhoto(photo = 'both.png') {
  const ctx = await newPage(browser);
  await ctx.page.goto(server.url);
  await waitForModel(ctx.page);
  await upload(ctx.page, `${IMAGES}/${photo}`);
  await waitForHeatmap(ctx.page);
  return ctx;
}

/**
 * Presses Tab until the focused element matches `selector` (and contains `text`, when given):
 * keyboard-only navigation.
 */
async function tabTo(page: Page, selector: string, text?: string, max = 120): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const hit = await page.evaluate(
      ([s, t]) => {
        const el = document.activeElement;
        return !!el?.matches(s) && (t === null || (el.textContent ?? '').includes(t));
      },
      [selector, text ?? null] as const,
    );
    if (hit) return;
  }
  throw new Error(`Tab never reached ${selector} ${text ?? ''}`);
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(buf: Buffer): [number, number] {
  expect(buf.subarray(1, 4).toString('latin1')).toBe('PNG');
  return [buf.readUInt32BE(16), buf.readUInt32BE(20)];
}

describe.skipIf(skip !== null)('Grad-CAM Explorer in Chromium', () => {
  beforeAll(async () => {
    server = await startAppServer();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('names the bull mastiff, and moves the heat to the cat for "tiger cat"', async () => {
    const { context, page, errors } = await openWithPhoto();
    const labels = await barLabels(page);
    expect(labels[0]).toBe('bull mastiff');
    expect(labels).toContain('tiger cat');
    expect(await page.evaluate(() => window.__gradcamTest!.explained!.classIndex)).toBe(
      BULL_MASTIFF,
    );
    const dog = await mapHalves(page);
    const dogPixels = await canvasHeat(page);
    expect(dog.top).toBeGreaterThan(dog.bottom);
    expect(dogPixels.top).toBeGreaterThan(dogPixels.bottom);
    // The selected bar says so in text, not by colour alone.
    await expect
      .poll(() => page.locator('.bar-selected').innerText())
      .toMatch(/bull mastiff[\s\S]*Explained/);

    await page.locator('label.bar', { hasText: 'tiger cat' }).click();
    await waitForHeatmap(page, TIGER_CAT);
    const cat = await mapHalves(page);
    const catPixels = await canvasHeat(page);
    expect(cat.bottom).toBeGreaterThan(cat.top);
    expect(catPixels.bottom).toBeGreaterThan(catPixels.top);
    expect(await page.locator('.bar-selected .bar-label').innerText()).toBe('tiger cat');
    // Beside the colorbar: each map is scaled to its own maximum, whatever the class's probability.
    expect(await page.getByTestId('colorbar-note').innerText()).toMatch(
      /^Scaled to this map’s own maximum: “tiger cat” \(\d+\.\d %\) gets full colour/,
    );
    // Beside the heatmap: what kind of statement the map is, with a link into the guide.
    expect(await page.getByTestId('map-caveat').innerText()).toMatch(
      /local, first-order attribution[\s\S]*not a causal proof/,
    );
    await page.getByTestId('map-caveat').getByRole('button', { name: 'What this means' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('learn-local');
    await page.getByRole('button', { name: 'Close' }).click();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('redraws opacity and colormap changes without asking the worker', async () => {
    const { context, page } = await openWithPhoto();
    const before = await workerMessages(page);
    const h0 = await canvasHash(page);
    const drawn0 = await page.evaluate(() => window.__gradcamTest!.composeCount);

    await page.locator('#opacity').focus();
    await page.keyboard.press('End');
    await expect.poll(() => canvasHash(page)).not.toBe(h0);
    expect(await page.locator('label[for="opacity"] output').innerText()).toBe('100 %');
    const h1 = await canvasHash(page);

    await page.getByRole('button', { name: /Colormap/ }).click();
    await page.locator('label.cmap-option', { hasText: 'Viridis' }).click();
    await expect.poll(() => canvasHash(page)).not.toBe(h1);

    expect(await page.evaluate(() => window.__gradcamTest!.composeCount)).toBeGreaterThan(drawn0);
    expect(await workerMessages(page)).toBe(before);
    await context.close();
  });

  it('changes the number of bars with the slider', async () => {
    const { context, page } = await openWithPhoto();
    await expect.poll(() => page.locator('.bars li').count()).toBe(3);
    const slider = page.locator('#k-range');
    await slider.focus();
    await page.keyboard.press('End');
    await expect.poll(() => page.locator('.bars li').count()).toBe(10);
    await page.keyboard.press('Home');
    await expect.poll(() => page.locator('.bars li').count()).toBe(1);
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.locator('.bars li').count()).toBe(5);
    await context.close();
  });

  it('shows the counterfactual, and hiding its regions changes the probability', async () => {
    const { context, page } = await openWithPhoto();
    await page.getByLabel(/Counterfactual/).check();
    await page.waitForFunction(() => window.__gradcamTest?.explained?.counterfactual === true);
    await expect.poll(() => page.locator('.colorbar').innerText()).toMatch(/evidence against/);
    await page.getByRole('button', { name: 'Hide and predict again' }).click();
    const result = page.getByTestId('hide-result');
    await result.waitFor();
    const before = await page.getByTestId('prob-before').innerText();
    const after = await page.getByTestId('prob-after').innerText();
    expect(before).toMatch(/%$/);
    expect(after).not.toBe(before);
    // Counterfactual regions argue against the class: hiding them raises its probability.
    expect(await result.innerText()).toMatch(/rises/);
    // The logit is shown beside the probability (a probability can rise because others fall).
    expect(await page.getByTestId('logit-change').innerText()).toMatch(
      /^Its logit: -?\d+\.\d\d[\s\S]*?-?\d+\.\d\d \((rises|falls|unchanged)\)/,
    );

    // Methods without gradients cannot be counterfactual: the toggle is disabled with a reason.
    await page.locator('label.method-option', { hasText: 'Eigen-CAM' }).click();
    await expect.poll(() => page.getByLabel(/Counterfactual/).isDisabled()).toBe(true);
    await expect(page.locator('#cf-reason').innerText()).resolves.toMatch(/no class gradients/);
    await context.close();
  });

  it('Reset returns to the initial state', async () => {
    const { context, page } = await openWithPhoto();
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
    const { context, page } = await newPage(browser);
    await page.goto(server.url);
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

  it('can be used with the keyboard alone, down to the PNG download', async () => {
    const { context, page } = await newPage(browser);
    // Listen before anything happens: file-chooser interception is set up asynchronously, and a
    // listener added just before the key press can lose that race on a loaded machine.
    const choosers: FileChooser[] = [];
    page.on('filechooser', (c) => choosers.push(c));
    await page.goto(server.url);
    await waitForModel(page);

    await tabTo(page, 'button.btn-primary');
    expect(await page.evaluate(() => document.activeElement!.textContent)).toMatch(
      /Choose a photo/,
    );
    // Focus is visible.
    expect(
      await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle),
    ).not.toBe('none');
    await page.keyboard.press('Enter');
    await expect.poll(() => choosers.length).toBe(1);
    await choosers[0].setFiles(`${IMAGES}/both.png`);
    await waitForHeatmap(page, BULL_MASTIFF);

    // The class: arrow keys move through the bars (a radio group).
    await tabTo(page, 'input[name="explained-class"]');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await waitForHeatmap(page, TIGER_CAT);

    await tabTo(page, 'input[name="method"]');
    await page.keyboard.press('ArrowDown');
    await page.waitForFunction(() => window.__gradcamTest?.explained?.method === 'gradcam++');

    await tabTo(page, 'input[type="checkbox"]');
    await page.keyboard.press('Space');
    await page.waitForFunction(() => window.__gradcamTest?.explained?.counterfactual === true);

    await tabTo(page, '#layer-select');
    await tabTo(page, '.cmap-button');
    await page.keyboard.press('Enter');
    await tabTo(page, 'input[name="colormap"]');
    await page.keyboard.press('ArrowDown');
    expect(await page.locator('input[name="colormap"][value="flag"]').isChecked()).toBe(true);

    await tabTo(page, '#opacity');
    await page.keyboard.press('Home');
    expect(await page.locator('#opacity').inputValue()).toBe('0');

    // Tooltips open on keyboard focus too.
    const tip = await page.evaluate(() => {
      const id = document.activeElement!.getAttribute('aria-describedby')!;
      const el = document.getElementById(id.split(' ').pop()!)!;
      return { hidden: el.hidden, text: el.textContent };
    });
    expect(tip.hidden).toBe(false);
    expect(tip.text).toMatch(/heatmap covers the photo/);

    await tabTo(page, 'button', 'Download PNG');
    const download = page.waitForEvent('download');
    await page.keyboard.press('Enter');
    const file = await (await download).path();
    expect(pngSize(readFileSync(file))).toEqual([224, 224]);

    await tabTo(page, 'button', 'Reset');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.bars li').count()).toBe(0);
    await context.close();
  });

  it('keeps the photo aspect and exports the overlay at full resolution', async () => {
    const { context, page } = await openWithPhoto('kite_and_cold.jpg');
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
    const { context, page } = await newPage(browser);
    await page.goto(server.url);
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

  it('changes layer, and cancels a long method', async () => {
    const { context, page } = await openWithPhoto();
    const select = page.locator('#layer-select');
    const options = await select.locator('option').allInnerTexts();
    expect(options.at(-1)).toMatch(/^out_relu · 7×7×1280 \(default\)$/);
    const early = options.find((o) => o.includes('14×14'))!;
    await select.selectOption({ label: early });
    await page.waitForFunction(() => window.__gradcamTest?.lastMap?.width === 14);

    await page.locator('label.method-option', { hasText: 'Score-CAM' }).click();
    const cancel = page.getByRole('button', { name: 'Cancel' });
    await cancel.waitFor();
    await cancel.click();
    await page.getByText('Cancelled.').waitFor();
    expect(await page.evaluate(() => window.__gradcamTest!.explained!.method)).toBe('gradcam');
    // Run it again, then with fewer channels: the change re-runs it (and stops the 64-channel run).
    await page.getByRole('button', { name: 'Run again' }).click();
    await page.getByText(/Computing Score-CAM/).waitFor();
    const channels = page.locator('#score-channels');
    expect(await channels.inputValue()).toBe('64');
    const n = /×(\d+)$/.exec(early)![1];
    expect(await channels.locator('option').last().innerText()).toBe(
      `all ${n} (original Score-CAM)`,
    );
    await channels.selectOption('16');
    await page.waitForFunction(() => window.__gradcamTest?.explained?.method === 'scorecam', null, {
      timeout: 90_000,
    });
    expect(await page.evaluate(() => window.__gradcamTest!.explained!.channels)).toBe(16);
    expect(await page.locator('.overlay-figure figcaption').innerText()).toMatch(
      new RegExp(`Score-CAM \\(16 of ${n} channels\\)`),
    );
    await context.close();
  });

  it('measures how faithful maps are, compares two methods, and cancels', async () => {
    const { context, page, errors } = await openWithPhoto();
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

    // A new photo clears the results.
    await upload(page, `${IMAGES}/both.png`);
    await waitForHeatmap(page, BULL_MASTIFF);
    await panel.waitFor();
    expect(await rows.count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('offers the download when weights are missing, and names a wrong weights file', async () => {
    const { context, page } = await openWithPhoto();
    await page.locator('label.model-card', { hasText: 'ResNet50' }).click();
    const download = page.getByRole('button', { name: /^Download \(103 MB\)$/ });
    await download.click();
    const alert = page.locator('.weights-panel [role="alert"]');
    // No internet here: the server says so and the page offers a file from disk.
    await expect.poll(() => alert.innerText()).toMatch(/cannot reach the internet/);
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Load a weights file...' }).click();
    await (await chooser).setFiles(`${WEIGHTS_DIR}/${MOBILENET_FILE}`);
    await expect
      .poll(() => alert.innerText(), { timeout: 60_000 })
      .toMatch(/holds MobileNetV2 weights, not ResNet50 weights/);

    // The photo waits for a network: no half-switched explanation, no error about layers.
    expect(await page.locator('.run-status [role="alert"]').count()).toBe(0);
    expect(await page.getByTestId('overlay').count()).toBe(0);
    expect(await page.evaluate(() => window.__gradcamTest!.lastMap)).toBeNull();

    // Still usable: back to MobileNetV2, and the same photo is explained again.
    await page.locator('label.model-card', { hasText: 'MobileNetV2' }).click();
    await waitForModel(page);
    await waitForHeatmap(page, BULL_MASTIFF);
    expect((await barLabels(page))[0]).toBe('bull mastiff');
    await context.close();
  });

  it('keeps the parsed network in the browser: a reload does not fetch the .h5 again', async () => {
    const { context, page } = await newPage(browser);
    await page.goto(server.url);
    await waitForModel(page);
    await expect.poll(() => page.locator('.weights-panel').innerText()).toMatch(/weights read/);
    const fetched: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/weights/')) fetched.push(`${r.method()} ${new URL(r.url()).pathname}`);
    });
    await page.reload();
    await waitForModel(page);
    expect(await page.locator('.weights-panel').innerText()).toMatch(/from this browser/);
    expect(fetched.filter((f) => f.startsWith('GET'))).toEqual([]);
    await context.close();
  });

  it('accepts a photo dropped anywhere on the page, and one pasted from the clipboard', async () => {
    const { context, page } = await newPage(browser);
    await page.goto(server.url);
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

  it('renders pixel-level methods as saliency images, redrawn without the worker', async () => {
    const { context, page } = await openWithPhoto();
    await page.locator('label.method-option', { hasText: 'Guided backpropagation' }).click();
    await page.waitForFunction(() => window.__gradcamTest?.explained?.method === 'guided-backprop');
    expect(await page.evaluate(() => window.__gradcamTest!.lastMap!.width)).toBe(224);
    const before = await workerMessages(page);
    const h0 = await canvasHash(page);
    await page.getByLabel('Magnitude (colormap)').check();
    await expect.poll(() => canvasHash(page)).not.toBe(h0);
    expect(await page.locator('.colorbar').innerText()).toMatch(/large guided gradient/);
    // Guided backpropagation is not the true gradient: the signed view says so.
    await page.getByLabel('Signed (grey)').check();
    expect(await page.getByTestId('colorbar-note').innerText()).toMatch(
      /not the true gradient: the sign does not predict the effect on the score/,
    );
    expect(await workerMessages(page)).toBe(before);

    await page.locator('label.method-option', { hasText: 'Guided Grad-CAM' }).click();
    await page.waitForFunction(() => window.__gradcamTest?.explained?.method === 'guided-gradcam');
    expect(await page.locator('.run-status [role="alert"]').count()).toBe(0);
    await context.close();
  });

  it('has no serious or critical accessibility violations', async () => {
    const { context, page } = await newPage(browser);
    await page.goto(server.url);
    await waitForModel(page);
    const check = async (state: string) => {
      const result = await new AxeBuilder({ page }).analyze();
      const bad = result.violations.filter(
        (v) => v.impact === 'serious' || v.impact === 'critical',
      );
      expect(
        bad.map((v) => `${state}: ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
      ).toEqual([]);
    };
    await check('start');
    await upload(page, `${IMAGES}/both.png`);
    await waitForHeatmap(page);
    await page.getByLabel(/Counterfactual/).check();
    await page.waitForFunction(() => window.__gradcamTest?.explained?.counterfactual === true);
    await page.getByRole('button', { name: /Colormap/ }).click();
    await page.getByText('How was this computed?').click();
    await check('explained');
    await page.getByRole('button', { name: 'Learn more' }).click();
    await page.locator('dialog[open] h2').first().waitFor();
    await check('learn more');
    await context.close();
  });
});

describe.skipIf(skip !== null)('weights download through the server (contract stand-in)', () => {
  // The real server cannot download here (no internet); its stand-in "downloads" from a folder
  // with the same progress events, so the page's download path is exercised end to end.
  it('shows the download progress, then loads the downloaded weights', async () => {
    const empty = mkdtempSync(`${tmpdir()}/gradcam-empty-`);
    const stand = await startContractServer({ weightsDir: empty, downloadFrom: WEIGHTS_DIR });
    const b = await launchBrowser();
    try {
      const { page } = await newPage(b);
      await page.goto(stand.url);
      const button = page.getByRole('button', { name: /^Download \(14\.5 MB\)$/ });
      await button.click();
      await page.getByRole('progressbar', { name: 'Downloading MobileNetV2 weights' }).waitFor();
      await waitForModel(page);
      expect(stand.requests).toContain('POST /api/weights/mobilenet_v2/download');
      expect(stand.requests).toContain(`GET /weights/${MOBILENET_FILE}`);
      await upload(page, `${IMAGES}/both.png`);
      await waitForHeatmap(page, BULL_MASTIFF);
    } finally {
      await b.close();
      await stand.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
