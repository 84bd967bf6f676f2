// End-to-end tests of "How was this computed?" in Chromium against the served app, with the real
// MobileNetV2 weights and both.png: the computation beside the heatmap, stage by stage (mouse and
// keyboard), a channel in detail from the bars or the thumbnails, a heatmap cell's channels, and
// each method's own weights.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { e2eSkip, useApp } from './app-helpers';

const skip = e2eSkip();
const app = useApp(skip);

/** Opens the view and waits until the map is taken apart. */
async function openAnatomy(page: Page) {
  await page.getByRole('tab', { name: 'How was this computed?' }).click();
  await page.getByTestId('stage-panel').waitFor();
  return page.getByTestId('stage-panel');
}

/** Chooses a method in the view's own picker and waits for its map and its anatomy. */
async function useMethod(page: Page, id: string, name: string) {
  await page.locator('#anatomy-method').selectOption(id);
  await page.waitForFunction((m) => window.__gradcamTest?.explained?.method === m, id, {
    timeout: 90_000,
  });
  await expect
    .poll(() => page.getByTestId('stage-panel').locator('h3').innerText(), { timeout: 30_000 })
    .toContain(name);
}

async function goToStage(page: Page, n: number) {
  await page.getByRole('tab', { name: new RegExp(`^${n}\\. `) }).click();
  await expect
    .poll(() => page.getByTestId('stage-panel').locator('h3').innerText())
    .toMatch(new RegExp(`^Stage ${n} of 6`));
}

/** A signed value as the page prints it ("+0.00186", "−0.0125", "0.752"). */
const NUM = String.raw`[+−]?\d+(?:\.\d+)?(?:e[−+-]?\d+)?`;

describe.skipIf(skip !== null)('How was this computed?', () => {
  it('shows the computation beside the heatmap, one stage at a time, by mouse and keyboard', async () => {
    const { context, page, errors } = await app.openWithPhoto();
    const panel = await openAnatomy(page);
    // Beside the map, not under it: the stages start right of the heatmap, level with it.
    const map = (await page.getByTestId('cell-picker').boundingBox())!;
    const stage = (await panel.boundingBox())!;
    expect(stage.x).toBeGreaterThanOrEqual(map.x + map.width);
    expect(stage.y).toBeLessThan(map.y + map.height / 2);

    // Stage 1: the feature maps, with what they are.
    expect(await panel.innerText()).toMatch(
      /Stage 1 of 6: Feature maps[\s\S]*1,280 feature maps A\s*k\s*of 7×7 positions/,
    );
    expect(await panel.getByTestId('relu6-note').innerText()).toMatch(/ReLU6/);
    // The arrow keys step through the stages (tabs), and so do the buttons.
    await page.getByRole('tab', { name: '1. Feature maps' }).focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => panel.locator('h3').innerText()).toMatch(/^Stage 2 of 6: Gradients/);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('2. Gradients');
    // Behind global average pooling every gradient map is uniform: the page says why.
    expect(await panel.getByTestId('uniform-gradients').innerText()).toMatch(
      /global average pooling/,
    );
    await page.getByRole('button', { name: 'Next stage' }).click();
    await expect.poll(() => panel.locator('h3').innerText()).toMatch(/^Stage 3 of 6: Weights/);
    expect(await panel.innerText()).toMatch(/mean of the gradient map over the\s+49 positions/);
    await page.getByRole('tab', { name: '3. Weights' }).focus();
    await page.keyboard.press('End');
    await expect
      .poll(() => panel.locator('h3').innerText())
      .toMatch(/^Stage 6 of 6: Normalise and upsample/);
    await page.keyboard.press('Home');
    await expect.poll(() => panel.locator('h3').innerText()).toMatch(/^Stage 1 of 6/);

    // A channel from the bars: its card shows its feature map, its gradient, and alpha, which is
    // the mean of its gradient map (the same number twice).
    await goToStage(page, 3);
    const bar = panel.locator('button.weight-bar').nth(2);
    const channel = /Channel (\d+)/.exec((await bar.getAttribute('aria-label'))!)![1];
    await bar.click();
    const card = page.getByTestId('channel-card');
    await expect.poll(() => card.locator('h4').innerText()).toMatch(`Channel ${channel}`);
    const text = await card.innerText();
    const mean = new RegExp(`Gradient[\\s\\S]*?mean (${NUM})`).exec(text)![1];
    expect(await card.getByTestId('channel-weight').innerText()).toMatch(
      new RegExp(`= \\${mean}: the mean of its gradient map`),
    );
    expect(text).toMatch(/share of the heatmap [+−]\d+\.\d %/);
    // ... and from a thumbnail, by keyboard.
    await goToStage(page, 1);
    const thumb = panel.locator('button.channel-thumb').nth(4);
    const other = /ch (\d+)/.exec(await thumb.innerText())![1];
    await thumb.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => card.locator('h4').innerText()).toMatch(`Channel ${other}`);
    expect(await thumb.getAttribute('aria-pressed')).toBe('true');

    // Sum and ReLU: its maximum is the one the colorbar shows.
    await goToStage(page, 5);
    const top = new RegExp(`After ReLU: 0 to (${NUM})`).exec(await panel.innerText())![1];
    expect(await page.getByTestId('colorbar-scale').innerText()).toMatch(
      new RegExp(`${top} = this map’s maximum before scaling`),
    );
    expect(errors).toEqual([]);
    await context.close();
  });

  it('lists the channels that add most to a heatmap cell, by pointer and by keyboard', async () => {
    const { context, page } = await app.openWithPhoto();
    await openAnatomy(page);
    const picker = page.getByTestId('cell-picker');
    const box = (await picker.boundingBox())!;
    // The top-left cell of the 7x7 map.
    await page.mouse.move(box.x + box.width / 14, box.y + box.height / 14);
    const readout = page.locator('#cell-readout');
    await expect.poll(() => readout.innerText()).toMatch(/^Cell row 1, column 1 of 7×7/);
    const text = await readout.innerText();
    expect(text).toMatch(new RegExp(`before ReLU, is (${NUM}): (${NUM}) from the channels that`));
    expect(text).toMatch(/Adding most[\s\S]*ch \d+ \+[\d.]+/);
    expect(text).toMatch(/Taking most[\s\S]*ch \d+ −[\d.]+/);
    // The sum of the two sides is the weighted sum there (to the printed precision).
    const [, raw, pos, neg] = new RegExp(
      `is (${NUM}): (${NUM}) from the channels that raise it and (${NUM})`,
    ).exec(text)!;
    const n = (s: string) => Number(s.replace('−', '-'));
    expect(Math.abs(n(pos) + n(neg) - n(raw))).toBeLessThan(
      0.01 * Math.max(Math.abs(n(pos)), 1e-6),
    );
    // The cell is outlined in every thumbnail of the stage.
    expect(await page.locator('.stage-panel .thumb-cell').count()).toBeGreaterThan(4);
    // A channel from the cell's list becomes the one in detail.
    const first = readout.getByRole('button').first();
    const ch = (await first.innerText()).replace('ch ', '');
    await first.click();
    await expect
      .poll(() => page.getByTestId('channel-card').locator('h4').innerText())
      .toMatch(`Channel ${ch}`);

    // Keyboard: focusing the map inspects its hottest cell; the arrows move it.
    await page.mouse.move(0, 0);
    await picker.focus();
    await expect.poll(() => readout.innerText()).toMatch(/^Cell row \d, column \d/);
    const at = async () => {
      const m = /^Cell row (\d), column (\d)/.exec(await readout.innerText())!;
      return [Number(m[1]), Number(m[2])];
    };
    const [r0, c0] = await at();
    await page.keyboard.press(r0 < 7 ? 'ArrowDown' : 'ArrowUp');
    await expect.poll(at).toEqual([r0 < 7 ? r0 + 1 : r0 - 1, c0]);
    await page.keyboard.press('Escape');
    await expect.poll(() => readout.innerText()).toMatch(/^Point at or tap a cell/);
    await context.close();
  });

  it("shows each method's own weights", async () => {
    const { context, page } = await app.openWithPhoto();
    const panel = await openAnatomy(page);
    const card = page.getByTestId('channel-card');
    await goToStage(page, 3);

    await useMethod(page, 'gradcam++', 'Grad-CAM++');
    expect(await panel.innerText()).toMatch(/coefficient a\s*ij\s*= G² \/ \(2G² \+ S\s*k\s*G³\)/);
    expect(await card.innerText()).toMatch(/Coefficients a\s*ij\s*: max/);
    expect(await card.getByTestId('channel-weight').innerText()).toMatch(
      /the sum of its per-position terms/,
    );

    await useMethod(page, 'layercam', 'LayerCAM');
    expect(await panel.innerText()).toMatch(
      /keeps only the positive gradients, position by position/,
    );
    expect(await card.innerText()).toMatch(/Weights W = ReLU\(gradient\)/);

    await useMethod(page, 'hirescam', 'HiResCAM');
    expect(await panel.innerText()).toMatch(/every position keeps its own gradient/);

    await useMethod(page, 'xgradcam', 'XGrad-CAM');
    expect(await card.innerText()).toMatch(/they add up to/);

    await useMethod(page, 'eigencam', 'Eigen-CAM');
    expect(await panel.innerText()).toMatch(/first principal component v/);
    expect(await card.getByTestId('channel-weight').innerText()).toMatch(/^Component v\s*k\s*=/);
    await goToStage(page, 2);
    expect(await panel.innerText()).toMatch(/uses no gradients and no class/);

    await useMethod(page, 'scorecam', 'Score-CAM');
    await goToStage(page, 3);
    expect(await panel.innerText()).toMatch(
      /softmax over the scored channels[\s\S]*Only 64 of the 1280 channels were scored/,
    );
    expect(await card.innerText()).toMatch(/The photo through this channel’s mask/);
    expect(await card.getByTestId('channel-weight').innerText()).toMatch(
      /best-scoring channel|logit of its masked photo is [\d.]+ below/,
    );

    await page.locator('#anatomy-method').selectOption('guided-backprop');
    await page.waitForFunction(() => window.__gradcamTest?.explained?.method === 'guided-backprop');
    await expect
      .poll(() => page.getByTestId('anatomy-pixel-level').innerText())
      .toMatch(/works at the pixels/);
    await context.close();
  });
});
