// End-to-end tests of honest scales in Chromium against the served app, with the real MobileNetV2
// weights and both.png: the raw maximum on the colorbar, the weak "tiger cat" counterfactual
// (0.0125 against 0.36), the shared scale, hide-and-predict going the wrong way, and the guide
// saying what the app shows.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { waitForHeatmap, workerMessages } from './harness';
import { TIGER_CAT, e2eSkip, useApp } from './app-helpers';

const skip = e2eSkip();
const app = useApp(skip);

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

async function counterfactual(page: Page) {
  await page.getByLabel(/Counterfactual/).check();
  await page.waitForFunction(() => window.__gradcamTest?.explained?.counterfactual === true);
}

describe.skipIf(skip !== null)('Honest scales', () => {
  it('shows the raw maximum, and says the "tiger cat" counterfactual is weak', async () => {
    const { context, page, errors } = await app.openWithPhoto();
    const scale = page.getByTestId('colorbar-scale');
    expect(await scale.innerText()).toMatch(/^0\s+0\.752 = this map’s maximum before scaling$/);
    // The bull mastiff's counterfactual (the cat): compared, not weak.
    await counterfactual(page);
    const note = page.getByTestId('evidence-note');
    await expect
      .poll(() => note.innerText())
      .toMatch(/^Evidence against “bull mastiff” peaks at 0\.0668; the evidence for it/);
    expect(await note.innerText()).not.toMatch(/weak/);

    await page.locator('label.bar', { hasText: 'tiger cat' }).click();
    await waitForHeatmap(page, TIGER_CAT);
    await expect.poll(() => scale.innerText()).toMatch(/^0\s+0\.0125 = this map’s maximum/);
    const text = await note.innerText();
    expect(text).toMatch(/^This map is weak\. It is stretched 29× to reach full colour/);
    expect(text).toMatch(
      /Evidence against “tiger cat” peaks at 0\.0125; the evidence for it \(the ordinary map\) peaks at 0\.360\. This map’s maximum is 3\.5 % of that\./,
    );

    // The shared scale: this map and the evidence for the cat on one scale; only a redraw.
    const before = await workerMessages(page);
    const h0 = await canvasHash(page);
    await note.getByRole('button', { name: 'Show it on a shared scale' }).click();
    await expect.poll(() => canvasHash(page)).not.toBe(h0);
    expect(await page.getByTestId('colorbar-note').innerText()).toMatch(
      /^Shared scale: this map and the evidence for it[\s\S]*Full colour is 0\.360[\s\S]*reaches 3\.5 % of it\./,
    );
    expect(await scale.innerText()).toMatch(
      /this map’s maximum: 0\.0125[\s\S]*0\.360 = the larger/,
    );
    expect(await page.getByLabel('Shared scale').isChecked()).toBe(true);
    expect(await workerMessages(page)).toBe(before);
    // Back to each map's own maximum: the same picture as before.
    await page.getByLabel('Each map’s own maximum').check();
    await expect.poll(() => canvasHash(page)).toBe(h0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('explains hide-and-predict going the wrong way', async () => {
    const { context, page } = await app.openWithPhoto();
    await page.locator('label.bar', { hasText: 'tiger cat' }).click();
    await waitForHeatmap(page, TIGER_CAT);
    await counterfactual(page);
    await page.getByRole('button', { name: 'Hide and predict again' }).click();
    await page.getByTestId('hide-result').waitFor();
    expect(await page.getByTestId('prob-before').innerText()).toBe('4.0 %');
    expect(await page.getByTestId('prob-after').innerText()).toBe('2.4 %');
    const why = await page.getByTestId('hide-wrong-way').innerText();
    expect(why).toMatch(/^The wrong way: the map predicted that “tiger cat” would gain/);
    expect(why).toMatch(/Its logit fell too/);
    expect(why).toMatch(/The map is weak: its maximum is 3\.5 % of the evidence for “tiger cat”/);
    expect(why).toMatch(/receptive\s+fields overlap/);
    expect(why).toMatch(/first-order slope/);
    await context.close();
  });

  it('corrects the guide to what the app shows', async () => {
    const { context, page } = await app.openWithPhoto();
    await page.getByRole('button', { name: 'Learn more' }).click();
    const section = page.locator('section.learn-section', {
      has: page.locator('#learn-counterfactual'),
    });
    await section.waitFor();
    const text = await section.innerText();
    expect(text).not.toMatch(/the dog when the question is/);
    expect(text).toMatch(/“bull mastiff” marks the cat/);
    expect(text).toMatch(
      /“tiger cat” marks the window frame and the edge of the\s+wooden door, not the dog, and it is weak/,
    );
    expect(text).toMatch(/from 4\.0 % to 2\.4 %/);
    await context.close();
  });
});
