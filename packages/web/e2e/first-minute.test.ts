// End-to-end tests of the first minute in Chromium against the served app, with the real
// MobileNetV2 weights: loading shown where the learner looks, next steps instead of "Waiting",
// one-click sample photos with their licences, the default colormap and the grouped pickers, and
// on a phone the result brought into view and kept there while the display changes.
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IMAGES, REPO, upload, waitForHeatmap, waitForModel } from './harness';
import { BULL_MASTIFF, e2eSkip, useApp } from './app-helpers';

const skip = e2eSkip();
const app = useApp(skip);

describe.skipIf(skip !== null)('The first minute', () => {
  it('shows the loading where the learner looks, and what to do next', async () => {
    const { context, page, errors } = await app.open();
    // Under the header from the first paint, until the network is ready.
    const banner = page.getByTestId('model-banner');
    await banner.waitFor();
    expect(await banner.innerText()).toMatch(/MobileNetV2[\s\S]*choose a photo meanwhile/);
    // While it loads, its card never says "Not downloaded".
    const where = page.locator('label.model-card:has(input[value="mobilenet_v2"]) .model-where');
    const seen = new Set<string>();
    while (!(await page.evaluate(() => window.__gradcamTest?.modelReady === true))) {
      seen.add((await where.innerText()).trim());
      await page.waitForTimeout(25);
    }
    expect([...seen]).not.toContain('Not downloaded');
    await expect.poll(() => where.innerText()).toMatch(/On this computer/);
    await expect.poll(() => banner.count()).toBe(0);
    // No "Waiting for..." anywhere: the next step instead.
    expect(await page.locator('.step').nth(1).innerText()).toMatch(
      /Next: choose a photo in step 1\./,
    );
    expect(await page.getByTestId('heatmap-placeholder').innerText()).toMatch(
      /Next: choose a photo in step 1\./,
    );
    expect(await page.locator('body').innerText()).not.toMatch(/Waiting/);

    // A network whose weights are missing: what to do, in step 2 and under the header.
    await page.locator('label.model-card:has(input[value="resnet50"])').click();
    await expect
      .poll(() => banner.innerText())
      .toMatch(/ResNet50 weights are not on this computer yet: download them in step 1/);
    await upload(page, `${IMAGES}/both.png`);
    await expect
      .poll(() => page.getByTestId('predict-wait').innerText())
      .toMatch(/download them in step 1[\s\S]*classified as soon as it is ready/);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('opens a sample photo in one click and says its licence, when the deployment ships samples', async () => {
    // The repository ships no photos (its test photos may not be copied into it): this test lays
    // out a samples folder in the built app, as a deployment would, from the shared test photos.
    const dir = join(REPO, 'packages/web/dist/samples');
    mkdirSync(dir, { recursive: true });
    const shipped = readFileSync(join(dir, 'index.json'));
    copyFileSync(`${IMAGES}/both.png`, join(dir, 'dog-and-cat.png'));
    copyFileSync(`${IMAGES}/parrot.jpg`, join(dir, 'parrot.jpg'));
    writeFileSync(join(dir, 'NOTICE.txt'), 'both.png: jacobgil/pytorch-grad-cam, MIT License\n');
    writeFileSync(
      join(dir, 'index.json'),
      JSON.stringify({
        samples: [
          { file: 'dog-and-cat.png', name: 'Dog and cat' },
          { file: 'parrot.jpg', name: 'Parrot' },
        ],
        licence: 'Dog and cat: pytorch-grad-cam, MIT licence. Parrot: test photo.',
        notice: 'NOTICE.txt',
      }),
    );
    try {
      const { context, page, errors } = await app.open();
      await waitForModel(page);
      const samples = page.locator('.samples');
      expect(await samples.innerText()).toMatch(/Dog and cat: pytorch-grad-cam, MIT licence\./);
      await page.getByRole('button', { name: 'Dog and cat' }).click();
      await waitForHeatmap(page, BULL_MASTIFF);
      expect(await page.locator('.upload .status').innerText()).toMatch(
        /^dog-and-cat\.png · 224×224/,
      );
      await page.getByRole('button', { name: 'Parrot' }).click();
      await expect
        .poll(() => page.locator('.bars .bar-label').first().innerText(), { timeout: 60_000 })
        .toBe('macaw');
      expect(
        await samples.getByRole('link', { name: /Sources and licences/ }).getAttribute('href'),
      ).toBe('samples/NOTICE.txt');
      expect(errors).toEqual([]);
      await context.close();
    } finally {
      for (const f of ['dog-and-cat.png', 'parrot.jpg', 'NOTICE.txt']) rmSync(join(dir, f));
      writeFileSync(join(dir, 'index.json'), shipped);
    }
    // With the repository's empty list, nothing is offered.
    const { context, page } = await app.open();
    await waitForModel(page);
    expect(await page.locator('.samples').count()).toBe(0);
    await context.close();
  });

  it('defaults to viridis, groups the colormaps, and groups the layers by block', async () => {
    const { context, page } = await app.open();
    await waitForModel(page);
    await upload(page, `${IMAGES}/both.png`);
    await waitForHeatmap(page);
    expect(await page.locator('.cmap-button').innerText()).toMatch(/Viridis/);
    await page.getByRole('button', { name: /Colormap/ }).click();
    expect(await page.locator('.cmap-group legend').allInnerTexts()).toEqual([
      'Perceptually uniform (recommended)',
      'Rainbow: the classic Grad-CAM look',
      'Other matplotlib maps',
    ]);
    expect(
      await page
        .locator('.cmap-group')
        .first()
        .locator('input')
        .evaluateAll((l) => l.map((i) => (i as HTMLInputElement).value)),
    ).toEqual(['viridis', 'plasma', 'inferno', 'magma', 'cividis']);
    // Jet is one click away, without opening the list.
    await page.getByRole('button', { name: 'Jet (classic)' }).click();
    expect(
      await page.getByRole('button', { name: 'Jet (classic)' }).getAttribute('aria-pressed'),
    ).toBe('true');

    const select = page.locator('#layer-select');
    const groups = await select
      .locator('optgroup')
      .evaluateAll((l) => l.map((g) => (g as HTMLOptGroupElement).label));
    expect(groups.slice(0, 3)).toEqual(['Stem', 'Block 0', 'Block 1']);
    expect(groups.at(-1)).toBe('Top');
    const values = () =>
      select.locator('option').evaluateAll((l) => l.map((o) => (o as HTMLOptionElement).value));
    const blockOutputs = await values();
    expect(blockOutputs).toContain('block_2_add');
    expect(blockOutputs.at(-1)).toBe('out_relu');
    expect(blockOutputs).not.toContain('block_15_expand_BN');
    await page.getByLabel(/All layers/).check();
    const all = await values();
    expect(all).toContain('block_15_expand_BN');
    expect(all.length).toBeGreaterThan(3 * blockOutputs.length);
    await context.close();
  });

  it('on a phone, brings the result into view and keeps the heatmap there while the display changes', async () => {
    const { context, page } = await app.open({ width: 390, height: 844 });
    await waitForModel(page);
    await upload(page, `${IMAGES}/both.png`);
    await waitForHeatmap(page, BULL_MASTIFF);
    // Step 3 is scrolled to the top of the screen, without the learner scrolling.
    await expect
      .poll(async () => Math.round((await page.locator('.step-explain').boundingBox())!.y))
      .toBeLessThan(40);
    expect(await page.evaluate(() => scrollY)).toBeGreaterThan(1000);
    const inView = async () => {
      const b = (await page.getByTestId('overlay').boundingBox())!;
      return b.y >= -1 && b.y + b.height <= 844 + 1;
    };
    // Scroll down to the display settings: the heatmap stays on screen, above them, uncovered.
    const uncovered = (selector: string) =>
      page.evaluate((sel) => {
        const el = document.querySelector(sel)!;
        const r = el.getBoundingClientRect();
        const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
        return r.y > 0 && r.bottom < innerHeight && !!hit && (hit === el || el.contains(hit));
      }, selector);
    await page.locator('#opacity').focus();
    await page.keyboard.press('End');
    expect(await uncovered('#opacity')).toBe(true);
    expect(await inView()).toBe(true);
    await page.getByRole('button', { name: 'Jet (classic)' }).click();
    expect(await uncovered('.cmap-chip[aria-pressed="true"]')).toBe(true);
    expect(await inView()).toBe(true);
    await context.close();
  });
});
