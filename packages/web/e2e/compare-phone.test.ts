// The side-by-side views and the sanity check on a 390x844 phone, by keyboard alone: the tabs with
// the arrow keys, every control with Tab / Enter / Space; the page never scrolls sideways, and axe
// finds no serious problem in them.
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { IMAGES, upload, waitForHeatmap, waitForModel } from './harness';
import { BULL_MASTIFF, e2eSkip, useApp } from './app-helpers';

const skip = e2eSkip();
const app = useApp(skip);

const PHONE = { width: 390, height: 844 };

/** Widest thing on the page: the document must not be wider than the viewport. */
const pageWidth = (page: Page) =>
  page.evaluate(() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth));

/** Presses Tab until the focused element matches `selector` and contains `text`. */
async function tabTo(page: Page, selector: string, text: string, max = 60): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const hit = await page.evaluate(
      ([s, t]) => {
        const el = document.activeElement;
        return !!el?.matches(s) && (el.textContent ?? '').includes(t);
      },
      [selector, text] as const,
    );
    if (hit) return;
  }
  throw new Error(`Tab never reached ${selector} "${text}"`);
}

/** Serious or critical axe violations inside step 3 (the view on screen). */
async function axeProblems(page: Page, view: string): Promise<string[]> {
  const result = await new AxeBuilder({ page }).include('section.step-explain').analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${view}: ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** The selected tab of step 3's views. */
const selectedTab = (page: Page) =>
  page
    .getByRole('tablist', { name: 'Views of the explanation' })
    .locator('[role="tab"][aria-selected="true"]')
    .innerText();

describe.skipIf(skip !== null)('Compare views and sanity check on a phone, by keyboard', () => {
  it('every view is reached and run from the keyboard, without horizontal overflow at 390 px', async () => {
    const { context, page, errors } = await app.open(PHONE);
    await waitForModel(page);
    await upload(page, `${IMAGES}/both.png`);
    await waitForHeatmap(page, BULL_MASTIFF);

    // The tab list: focus the current tab, then arrow keys (automatic activation).
    await page.getByRole('tab', { name: 'Heatmap', exact: true }).focus();
    const go = async (name: string) => {
      for (let i = 0; i < 8 && (await selectedTab(page)) !== name; i++) {
        await page.keyboard.press('ArrowRight');
      }
      expect(await selectedTab(page)).toBe(name);
    };

    await go('Compare classes');
    await page
      .getByTestId('compare-classes-grid')
      .locator('figure')
      .nth(2)
      .waitFor({ timeout: 60_000 });
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
    expect(await axeProblems(page, 'compare classes')).toEqual([]);
    // Shared scale with Space, the PNG with Enter.
    await tabTo(page, 'input[type="checkbox"]', '');
    await page.keyboard.press('Space');
    expect(await page.getByLabel('Shared scale').isChecked()).toBe(true);
    await tabTo(page, 'button', 'Download PNG');
    const download = page.waitForEvent('download');
    await page.keyboard.press('Enter');
    expect((await download).suggestedFilename()).toMatch(/^both-classes-.+\.png$/);

    await page.getByRole('tab', { name: 'Compare classes', exact: true }).focus();
    await go('Compare networks');
    await page.getByTestId('network-tile-mobilenet_v2').locator('canvas').waitFor({
      timeout: 60_000,
    });
    await page.getByTestId('networks-missing').waitFor();
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
    expect(await axeProblems(page, 'compare networks')).toEqual([]);

    await page.getByRole('tab', { name: 'Compare networks', exact: true }).focus();
    await go('Compare methods');
    // Started by itself; cancelled from the keyboard, then run again with Enter.
    await tabTo(page, 'button', 'Cancel');
    await page.keyboard.press('Enter');
    await page.getByText('Cancelled.', { exact: true }).waitFor();
    await tabTo(page, 'button', 'Run again');
    await page.keyboard.press('Enter');
    await page.getByTestId('compare-methods-grid').waitFor({ timeout: 180_000 });
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
    expect(await axeProblems(page, 'compare methods')).toEqual([]);

    await page.getByRole('tab', { name: 'Compare methods', exact: true }).focus();
    await go('Sanity check');
    // Guided backpropagation off (Space), then run with Enter: Grad-CAM alone is quick.
    await tabTo(page, 'input[type="checkbox"]', '');
    await tabTo(page, 'input[type="checkbox"]', '');
    expect(
      await page.evaluate(() => document.activeElement?.parentElement?.textContent?.trim()),
    ).toBe('Guided backpropagation');
    await page.keyboard.press('Space');
    await tabTo(page, 'button', 'Run the sanity check');
    await page.keyboard.press('Enter');
    await page.getByTestId('sanity-result').waitFor({ timeout: 180_000 });
    expect(await page.getByTestId('sanity-maps-gradcam').locator('figure').count()).toBe(21);
    expect(await page.getByTestId('sanity-maps-guided-backprop').count()).toBe(0);
    // The numbers open from the keyboard; their table scrolls inside its box, not the page.
    await tabTo(page, 'summary', 'The numbers');
    await page.keyboard.press('Enter');
    await page.getByTestId('sanity-table').waitFor();
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
    expect(await axeProblems(page, 'sanity check')).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
