// Where the page's weights come from: the browser store tells the server's official file from the
// user's own (by content, not name and size), Reset forgets the user's file, and a damaged file in
// the server's cache is reported and downloaded again.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readKerasWeights } from '@gradcam-explorer/core';
import {
  IMAGES,
  MOBILENET_FILE,
  WEIGHTS_DIR,
  launchBrowser,
  newPage,
  startAppServer,
  upload,
  waitForHeatmap,
  waitForModel,
} from './harness';
import { BULL_MASTIFF, TIGER_CAT, barLabels, e2eSkip, useApp } from './app-helpers';

const skip = e2eSkip();

const OFFICIAL = "Weights: official file from this computer's server";

let tmp: string;

const originLine = (page: Page) => page.getByTestId('weights-origin').innerText();

/**
 * A copy of the real file under the official name, same size, other contents: the Logits bias of
 * "tiger cat" raised, so it names a tiger cat on `both.png` (the real file: bull mastiff).
 */
async function lookalikeFile(dir: string): Promise<string> {
  const bytes = readFileSync(join(WEIGHTS_DIR, MOBILENET_FILE));
  const parsed = await readKerasWeights(new Uint8Array(bytes), MOBILENET_FILE);
  const bias = parsed.layers.get('Logits')!.find((w) => w.name.endsWith('bias:0'))!.data;
  const at = bytes.indexOf(Buffer.from(bias.buffer, bias.byteOffset, bias.byteLength));
  expect(at).toBeGreaterThan(0);
  bytes.writeFloatLE(bias[TIGER_CAT] + 50, at + 4 * TIGER_CAT);
  const path = join(dir, MOBILENET_FILE);
  writeFileSync(path, bytes);
  return path;
}

async function loadOwnFile(page: Page, path: string): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Load a weights file...' }).click();
  await (await chooser).setFiles(path);
  await expect
    .poll(() => originLine(page), { timeout: 60_000 })
    .toMatch(new RegExp(`^Weights: your file ${MOBILENET_FILE} \\(sha256 [0-9a-f]{12}…\\)$`));
}

/** Origins of the entries in the page's IndexedDB store. */
const storedOrigins = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<string[]>((resolve, reject) => {
        const req = indexedDB.open('gradcam-explorer');
        req.onerror = () => reject(req.error);
        req.onsuccess = () => {
          const all = req.result.transaction('index').objectStore('index').getAll();
          all.onsuccess = () => {
            resolve((all.result as { origin?: { kind: string } }[]).map((e) => e.origin!.kind));
            req.result.close();
          };
        };
      }),
  );

describe.skipIf(skip !== null)('where the weights come from', () => {
  let ownFile: string;

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'gradcam-e2e-weights-'));
    ownFile = await lookalikeFile(tmp);
  });

  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  const app = useApp(skip);

  it("never takes the user's file for the server's, and Reset forgets it", async () => {
    const { context, page } = await app.open();
    await waitForModel(page);
    expect(await originLine(page)).toBe(OFFICIAL);

    // The user's file with the official name and size.
    await loadOwnFile(page, ownFile);
    await upload(page, `${IMAGES}/both.png`);
    await waitForHeatmap(page, TIGER_CAT);
    expect((await barLabels(page))[0]).toBe('tiger cat');

    // A reload takes the server's weights from the store (no fetch, no parse), not the user's.
    const fetched: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/weights/')) fetched.push(`${r.method()} ${new URL(r.url()).pathname}`);
    });
    await page.reload();
    await waitForModel(page);
    expect(await page.locator('.weights-panel').innerText()).toMatch(/from this browser/);
    expect(await originLine(page)).toBe(OFFICIAL);
    expect(fetched.filter((f) => f.startsWith('GET'))).toEqual([]);
    await upload(page, `${IMAGES}/both.png`);
    await waitForHeatmap(page, BULL_MASTIFF);
    expect((await barLabels(page))[0]).toBe('bull mastiff');

    // Reset forgets the user's file and brings the official weights back.
    await loadOwnFile(page, ownFile);
    expect((await storedOrigins(page)).sort()).toEqual(['server', 'user']);
    await page.getByRole('button', { name: 'Reset' }).click();
    await expect.poll(() => originLine(page), { timeout: 60_000 }).toBe(OFFICIAL);
    await waitForModel(page);
    expect(await storedOrigins(page)).toEqual(['server']);
    await upload(page, `${IMAGES}/both.png`);
    await waitForHeatmap(page, BULL_MASTIFF);
    expect((await barLabels(page))[0]).toBe('bull mastiff');
    await context.close();
  });
});

describe.skipIf(skip !== null)('a damaged weights file in the server cache', () => {
  let mirror: Server;
  const mirrorHits: string[] = [];

  afterAll(async () => {
    mirror?.closeAllConnections();
    await new Promise((r) => (mirror ? mirror.close(r) : r(undefined)));
  });

  it('is reported, the page stays usable, and "Download again" replaces it', async () => {
    const real = readFileSync(join(WEIGHTS_DIR, MOBILENET_FILE));
    // The server's download source: the real file (the official storage is out of reach here).
    mirror = createServer((req, res) => {
      mirrorHits.push(req.url ?? '');
      res.writeHead(200, { 'content-length': real.length }).end(real);
    });
    await new Promise<void>((r) => mirror.listen(0, '127.0.0.1', r));
    const xdg = mkdtempSync(join(tmpdir(), 'gradcam-e2e-damaged-'));
    const dir = join(xdg, 'gradcam-explorer', 'weights');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, MOBILENET_FILE), real.subarray(0, 1 << 20)); // truncated
    const server = await startAppServer({
      GRADCAM_WEIGHTS_DIR: '',
      XDG_CACHE_HOME: xdg,
      GRADCAM_WEIGHTS_BASE_URL: `http://127.0.0.1:${(mirror.address() as AddressInfo).port}/`,
    });
    const b = await launchBrowser();
    try {
      if (server.kind !== 'cli') {
        console.warn('[e2e] skipped: needs the real server (gradcam-explorer serve)');
        return;
      }
      const { page } = await newPage(b);
      await page.goto(server.url);
      const alert = page.locator('.weights-panel [role="alert"]');
      await expect
        .poll(() => alert.innerText(), { timeout: 60_000 })
        .toMatch(
          new RegExp(
            `^The cached MobileNetV2 weights on this computer are damaged: ` +
              `Weights file "${MOBILENET_FILE.replace(/\./g, '\\.')}" .+`,
          ),
        );
      // Still usable: a photo is taken, and another network can be chosen.
      await upload(page, `${IMAGES}/both.png`);
      await expect
        .poll(() => page.locator('figure.original img').getAttribute('alt'))
        .toMatch(/both\.png/);
      await page.locator('label.model-card:has(input[value="resnet50"])').click();
      await page.getByRole('button', { name: /^Download \(103 MB\)$/ }).waitFor();
      await page.locator('label.model-card:has(input[value="mobilenet_v2"])').click();
      await expect.poll(() => alert.innerText(), { timeout: 60_000 }).toMatch(/damaged/);
      expect(mirrorHits).toEqual([]);

      await page.getByRole('button', { name: /^Download again/ }).click();
      await waitForModel(page);
      // The photo was kept: it is explained as soon as the network is back.
      await waitForHeatmap(page, BULL_MASTIFF);
      expect(await originLine(page)).toBe(OFFICIAL);
      expect(mirrorHits).toHaveLength(1);
      expect(readFileSync(join(dir, MOBILENET_FILE)).equals(real)).toBe(true);
    } finally {
      await b.close();
      await server.close();
      rmSync(xdg, { recursive: true, force: true });
    }
  });
});
