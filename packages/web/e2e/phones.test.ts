// End-to-end tests for phones and keyboards in Chromium against the served app, with the real
// MobileNetV2 weights: no horizontal overflow at 390x844 with every panel open (every view of
// step 3, every stage of "How was this computed?", the trust table, hide-and-predict, the
// colormap list, Learn more), the new views by keyboard alone, and no serious axe violations.
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { IMAGES, upload, waitForHeatmap, waitForModel } from './harness';
import { BULL_MASTIFF, TIGER_CAT, e2eSkip, useApp } from './app-helpers';

const skip = e2eSkip();
const app = useApp(skip);

const PHONE = { width: 390, height: 844 };

/**
 * Elements that stick out of the viewport to the right (or out of an open dialog), other than
 * inside a box that scrolls or clips them; and the page's own scroll width.
 */
function overflow(page: Page) {
  return page.evaluate(() => {
    const dialog = document.querySelector<HTMLDialogElement>('dialog[open]');
    const root = dialog ?? document.body;
    const right = dialog
      ? dialog.getBoundingClientRect().right
      : document.documentElement.clientWidth;
    const out: string[] = [];
    for (const el of Array.from(root.querySelectorAll<HTMLElement>('*'))) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || r.right <= right + 1) continue;
      let p = el.parentElement;
      let contained = false;
      while (p && p !== root) {
        if (getComputedStyle(p).overflowX !== 'visible') {
          contained = true;
          break;
        }
        p = p.parentElement;
      }
      if (!contained)
        out.push(`${el.tagName.toLowerCase()}.${el.className} ends at ${Math.round(r.right)}`);
    }
    return {
      pageWidth: document.documentElement.scrollWidth,
      dialogWidth: dialog ? dialog.scrollWidth - dialog.clientWidth : 0,
      out: out.slice(0, 5),
    };
  });
}

async function expectNoOverflow(page: Page, state: string) {
  const o = await overflow(page);
  expect({ state, ...o }).toEqual({ state, pageWidth: PHONE.width, dialogWidth: 0, out: [] });
}

/** Boxes that scroll sideways must be reachable by keyboard (axe's scrollable-region-focusable). */
async function scrollersFocusable(page: Page) {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLElement>('body *'))
      .filter((el) => {
        const o = getComputedStyle(el).overflowX;
        return (o === 'auto' || o === 'scroll') && el.scrollWidth > el.clientWidth + 1;
      })
      .filter((el) => el.tabIndex < 0 && !el.querySelector('a, button, input, select, [tabindex]'))
      .map((el) => `${el.tagName.toLowerCase()}.${el.className}`),
  );
}

async function axe(page: Page, state: string) {
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    bad.map((v) => `${state}: ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
  ).toEqual([]);
}

/** Presses Tab until the focused element matches `selector` (keyboard-only navigation). */
async function tabTo(page: Page, selector: string, max = 150): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => !!document.activeElement?.matches(s), selector)) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}

describe.skipIf(skip !== null)('Phones and keyboards', () => {
  it('has no horizontal overflow at 390×844 with every panel open', async () => {
    const { context, page, errors } = await app.open(PHONE);
    await expectNoOverflow(page, 'loading');
    await waitForModel(page);
    await expectNoOverflow(page, 'start');
    await upload(page, `${IMAGES}/both.png`);
    await waitForHeatmap(page, BULL_MASTIFF);
    await page.getByRole('button', { name: /Colormap/ }).click();
    await page.getByLabel('Shared scale').check();
    await expectNoOverflow(page, 'heatmap, colormaps open');

    // The trust table with two rows, then the counterfactual with hide-and-predict.
    const measure = page.getByRole('button', { name: 'Measure', exact: true });
    await measure.click();
    await page.getByTestId('trust-result').waitFor({ timeout: 60_000 });
    await page.locator('label.method-option', { hasText: 'Grad-CAM++' }).click();
    await page.waitForFunction(() => window.__gradcamTest?.explained?.method === 'gradcam++');
    await measure.click();
    await expect
      .poll(() => page.locator('[data-testid="auc-table"] tbody tr').count(), { timeout: 60_000 })
      .toBe(2);
    await expectNoOverflow(page, 'trust table');
    await page.locator('label.bar', { hasText: 'tiger cat' }).click();
    await waitForHeatmap(page, TIGER_CAT);
    await page.getByLabel(/Counterfactual/).check();
    await page.waitForFunction(() => window.__gradcamTest?.explained?.counterfactual === true);
    await page.getByRole('button', { name: 'Hide and predict again' }).click();
    await page.getByTestId('hide-result').waitFor();
    await expectNoOverflow(page, 'counterfactual, hidden and predicted');

    // Every view of step 3 (those other panels add included), every stage of the anatomy.
    const tabs = page.getByRole('tablist', { name: 'Views of the explanation' }).getByRole('tab');
    const names = await tabs.allInnerTexts();
    expect(names).toEqual(expect.arrayContaining(['Heatmap', 'How was this computed?']));
    for (const name of names) {
      await page.getByRole('tab', { name, exact: true }).click();
      await page.locator('[role="tabpanel"]').first().waitFor();
      if (name === 'How was this computed?') {
        await page.getByTestId('stage-panel').waitFor();
        for (let i = 1; i <= 6; i++) {
          await page.getByRole('tab', { name: new RegExp(`^${i}\\. `) }).click();
          await expectNoOverflow(page, `anatomy stage ${i}`);
        }
      } else {
        await page.waitForTimeout(300);
        await expectNoOverflow(page, `view ${name}`);
      }
    }
    await page.getByRole('tab', { name: 'Heatmap', exact: true }).click();
    expect(await scrollersFocusable(page)).toEqual([]);

    await page.getByRole('button', { name: 'Learn more' }).click();
    await page.locator('dialog[open] h2').first().waitFor();
    await page.waitForTimeout(300);
    await expectNoOverflow(page, 'learn more');
    // Formulas and tables wider than the phone scroll inside their own box, reachable by keyboard.
    expect(await scrollersFocusable(page)).toEqual([]);
    expect(await page.locator('dialog .learn-scrolls').count()).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('runs "How was this computed?" by keyboard alone', async () => {
    const { context, page } = await app.open();
    await waitForModel(page);
    await upload(page, `${IMAGES}/both.png`);
    await waitForHeatmap(page, BULL_MASTIFF);
    // The views are tabs: one tab stop, arrows move between them.
    await tabTo(page, '[role="tab"][aria-selected="true"]');
    expect(await page.evaluate(() => document.activeElement!.textContent)).toBe('Heatmap');
    await page.keyboard.press('ArrowRight');
    await page.getByTestId('stage-panel').waitFor();
    expect(await page.evaluate(() => document.activeElement!.textContent)).toBe(
      'How was this computed?',
    );
    // The heatmap's cells: focus inspects the hottest, the arrows move.
    await tabTo(page, '[data-testid="cell-picker"]');
    const readout = page.locator('#cell-readout');
    await expect.poll(() => readout.innerText()).toMatch(/^Cell row \d, column \d/);
    const before = await readout.innerText();
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => readout.innerText()).not.toBe(before);
    // A channel of that cell, by Enter.
    await tabTo(page, '#cell-readout button');
    const ch = (await page.evaluate(() => document.activeElement!.textContent))!.replace('ch ', '');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.getByTestId('channel-card').locator('h4').innerText())
      .toMatch(`Channel ${ch}`);
    // The stages: one tab stop, arrows, Home and End; then Next stage.
    await tabTo(page, '.stage-tabs [role="tab"][aria-selected="true"]');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    const h3 = page.getByTestId('stage-panel').locator('h3');
    await expect.poll(() => h3.innerText()).toMatch(/^Stage 3 of 6: Weights/);
    await tabTo(page, '.stage-nav button:not([disabled])');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement!.textContent)).toBe('Next stage');
    await page.keyboard.press('Enter');
    await expect.poll(() => h3.innerText()).toMatch(/^Stage 4 of 6/);
    // A weighted map's thumbnail, by Enter.
    await tabTo(page, '.stage-panel button.channel-thumb[aria-pressed="false"]');
    const other = /ch (\d+)/.exec(
      (await page.evaluate(() => document.activeElement!.textContent))!,
    )![1];
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.getByTestId('channel-card').locator('h4').innerText())
      .toMatch(`Channel ${other}`);
    // Tooltips and focus are visible on the new controls too.
    expect(
      await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle),
    ).not.toBe('none');
    await context.close();
  });

  it('has no serious accessibility violations in the new views, on a phone too', async () => {
    const { context, page } = await app.open();
    await waitForModel(page);
    await upload(page, `${IMAGES}/both.png`);
    await waitForHeatmap(page, BULL_MASTIFF);
    await page.locator('label.bar', { hasText: 'tiger cat' }).click();
    await waitForHeatmap(page, TIGER_CAT);
    await page.getByLabel(/Counterfactual/).check();
    await page.waitForFunction(() => window.__gradcamTest?.explained?.counterfactual === true);
    await page.getByTestId('evidence-note').waitFor();
    await page.getByRole('button', { name: 'Hide and predict again' }).click();
    await page.getByTestId('hide-wrong-way').waitFor();
    await page.getByRole('button', { name: /Colormap/ }).click();
    await axe(page, 'weak counterfactual, wrong way');
    await page.getByRole('tab', { name: 'How was this computed?' }).click();
    await page.getByTestId('stage-panel').waitFor();
    await page.getByTestId('cell-picker').focus();
    for (let i = 1; i <= 6; i++) {
      await page.getByRole('tab', { name: new RegExp(`^${i}\\. `) }).click();
      await axe(page, `anatomy stage ${i}`);
    }
    await page.setViewportSize(PHONE);
    await axe(page, 'phone, anatomy');
    await page.getByRole('tab', { name: 'Heatmap', exact: true }).click();
    await axe(page, 'phone, heatmap');
    await page.getByRole('button', { name: 'Learn more' }).click();
    await page.locator('dialog[open] h2').first().waitFor();
    await page.waitForTimeout(300);
    await axe(page, 'phone, learn more');
    await context.close();
  });
});
