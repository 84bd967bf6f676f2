// End-to-end tests of loading the network's weights in Chromium against the served app: missing
// weights offered for download and a wrong weights file named, the parsed network kept in the
// browser across a reload, and a download through the server from a local mirror.
import { describe, expect, it } from 'vitest';
import {
  IMAGES,
  MOBILENET_FILE,
  WEIGHTS_DIR,
  launchBrowser,
  newPage,
  startAppServer,
  startWeightsMirror,
  upload,
  waitForHeatmap,
  waitForModel,
} from './harness';
import { BULL_MASTIFF, barLabels, e2eSkip, useApp } from './app-helpers';

const skip = e2eSkip();

describe.skipIf(skip !== null)('Grad-CAM Explorer in Chromium', () => {
  const app = useApp(skip);

  it('offers the download when weights are missing, and names a wrong weights file', async () => {
    const { context, page } = await app.openWithPhoto();
    await page.locator('label.model-card:has(input[value="resnet50"])').click();
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
    await page.locator('label.model-card:has(input[value="mobilenet_v2"])').click();
    await waitForModel(page);
    await waitForHeatmap(page, BULL_MASTIFF);
    expect((await barLabels(page))[0]).toBe('bull mastiff');
    await context.close();
  });

  it('keeps the parsed network in the browser: a reload does not fetch the .h5 again', async () => {
    const { context, page } = await app.open();
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
});

describe.skipIf(skip !== null)('weights download through the server', () => {
  // The official storage is out of reach here: the real server downloads from a local mirror of
  // it (GRADCAM_WEIGHTS_BASE_URL) into its empty cache, so the page's download path is exercised
  // end to end, progress events and checks included.
  it('shows the download progress, then loads the downloaded weights', async () => {
    const mirror = await startWeightsMirror(WEIGHTS_DIR);
    const stand = await startAppServer({
      GRADCAM_WEIGHTS_DIR: '',
      GRADCAM_WEIGHTS_BASE_URL: mirror.url,
    });
    const b = await launchBrowser();
    try {
      const { page } = await newPage(b);
      const requests: string[] = [];
      page.on('request', (r) => requests.push(`${r.method()} ${new URL(r.url()).pathname}`));
      await page.goto(stand.url);
      const button = page.getByRole('button', { name: /^Download \(14\.5 MB\)$/ });
      await button.click();
      await page.getByRole('progressbar', { name: 'Downloading MobileNetV2 weights' }).waitFor();
      await waitForModel(page);
      expect(requests).toContain('POST /api/weights/mobilenet_v2/download');
      expect(requests).toContain(`GET /weights/${MOBILENET_FILE}`);
      expect(mirror.hits).toEqual([`/${MOBILENET_FILE}`]);
      await upload(page, `${IMAGES}/both.png`);
      await waitForHeatmap(page, BULL_MASTIFF);
    } finally {
      await b.close();
      await stand.close();
      await mirror.close();
    }
  });
});
