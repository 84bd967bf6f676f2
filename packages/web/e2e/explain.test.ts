// End-to-end tests of explaining a photo in Chromium against the served app, with the real
// MobileNetV2 weights: the class and where its heat is, redrawing without the worker, the number
// of bars, the counterfactual, layers and a long method cancelled, and pixel-level methods.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { waitForHeatmap, workerMessages } from './harness';
import { BULL_MASTIFF, barLabels, TIGER_CAT, e2eSkip, useApp } from './app-helpers';

const skip = e2eSkip();
const app = useApp(skip);

/** Where the heat is in the drawn overlay: mean (R - B) over the top and bottom halves (jet only). */
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

describe.skipIf(skip !== null)('Grad-CAM Explorer in Chromium', () => {
  it('names the bull mastiff, and moves the heat to the cat for "tiger cat"', async () => {
    const { context, page, errors } = await app.openWithPhoto();
    // The default colormap is perceptually uniform; jet, the classic look, is one click away.
    expect(await page.locator('input[name="colormap"]:checked').getAttribute('value')).toBe(
      'viridis',
    );
    await page.getByRole('button', { name: 'Jet (classic)' }).click();
    await expect
      .poll(() => page.locator('input[name="colormap"]:checked').getAttribute('value'))
      .toBe('jet');
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
    const { context, page } = await app.openWithPhoto();
    const before = await workerMessages(page);
    const h0 = await canvasHash(page);
    const drawn0 = await page.evaluate(() => window.__gradcamTest!.composeCount);

    await page.locator('#opacity').focus();
    await page.keyboard.press('End');
    await expect.poll(() => canvasHash(page)).not.toBe(h0);
    expect(await page.locator('label[for="opacity"] output').innerText()).toBe('100 %');
    const h1 = await canvasHash(page);

    await page.getByRole('button', { name: /Colormap/ }).click();
    await page.locator('label.cmap-option', { hasText: 'Magma' }).click();
    await expect.poll(() => canvasHash(page)).not.toBe(h1);

    expect(await page.evaluate(() => window.__gradcamTest!.composeCount)).toBeGreaterThan(drawn0);
    expect(await workerMessages(page)).toBe(before);
    await context.close();
  });

  it('changes the number of bars with the slider', async () => {
    const { context, page } = await app.openWithPhoto();
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
    const { context, page } = await app.openWithPhoto();
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

  it('changes layer, and cancels a long method', async () => {
    const { context, page } = await app.openWithPhoto();
    const select = page.locator('#layer-select');
    const options = await select.locator('option').allInnerTexts();
    expect(options.at(-1)).toMatch(/^out_relu · 7×7×1280 \(default\)$/);
    // The picker lists each block's output: the first 14×14 one with more than Score-CAM's 64
    // default channels.
    const early = options.find((o) => Number(/14×14×(\d+)/.exec(o)?.[1] ?? 0) > 64)!;
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

  it('renders pixel-level methods as saliency images, redrawn without the worker', async () => {
    const { context, page } = await app.openWithPhoto();
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
});
