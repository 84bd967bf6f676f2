// End-to-end accessibility tests in Chromium against the served app, with the real MobileNetV2
// weights: the whole dashboard with the keyboard alone, and no serious axe violations.
import { readFileSync } from 'node:fs';
import { AxeBuilder } from '@axe-core/playwright';
import type { FileChooser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { IMAGES, newPage, upload, waitForHeatmap, waitForModel } from './harness';
import { BULL_MASTIFF, pngSize, TIGER_CAT, e2eSkip, useApp } from './app-helpers';

const skip = e2eSkip();
const app = useApp(skip);

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

describe.skipIf(skip !== null)('Grad-CAM Explorer in Chromium', () => {
  it('can be used with the keyboard alone, down to the PNG download', async () => {
    const { context, page } = await newPage(app.browser);
    // Listen before anything happens: file-chooser interception is set up asynchronously, and a
    // listener added just before the key press can lose that race on a loaded machine.
    const choosers: FileChooser[] = [];
    page.on('filechooser', (c) => choosers.push(c));
    await page.goto(app.server.url);
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
    // Viridis (the default) is first in the perceptually uniform group; plasma follows it.
    await page.keyboard.press('ArrowDown');
    expect(await page.locator('input[name="colormap"][value="plasma"]').isChecked()).toBe(true);

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

  it('has no serious or critical accessibility violations', async () => {
    const { context, page } = await app.open();
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
    await check('explained');
    await page.getByRole('tab', { name: 'How was this computed?' }).click();
    await page.getByTestId('stage-panel').waitFor();
    await check('how was this computed');
    await page.getByRole('button', { name: 'Learn more' }).click();
    await page.locator('dialog[open] h2').first().waitFor();
    await check('learn more');
    await context.close();
  });
});
