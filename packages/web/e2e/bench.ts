// `npm run bench:web`: the app's own User Timing measures (src/perf/), read from the served
// app in headless Chromium with the real MobileNetV2 weights, printed as a table.
//   BENCH_RUNS=N      repetitions per interactive measure (default 7)
//   BENCH_BACKENDS    comma list of page variants, default "auto,wasm-1-thread,webgl"
import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import {
  IMAGES,
  launchBrowser,
  missingPrerequisite,
  newPage,
  startAppServer,
  upload,
  waitForHeatmap,
  waitForModel,
} from './harness';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const VARIANTS: Record<string, string> = {
  auto: '',
  'wasm-1-thread': '?backend=wasm&threads=1',
  webgl: '?backend=webgl',
};

interface Row {
  variant: string;
  backend: string;
  measure: string;
  median: number;
  min: number;
  max: number;
  n: number;
  target?: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function durations(page: Page, name: string): Promise<number[]> {
  return page.evaluate(
    (n) => performance.getEntriesByName(n, 'measure').map((e) => e.duration),
    name,
  );
}

async function clearMeasures(page: Page) {
  await page.evaluate(() => performance.clearMeasures());
}

async function run(variant: string, query: string, rows: Row[]) {
  const server = await startAppServer();
  const browser = await launchBrowser();
  try {
    const { context, page } = await newPage(browser);
    const add = (measure: string, xs: number[], target?: number) => {
      if (xs.length === 0) return;
      rows.push({
        variant,
        backend,
        measure,
        median: median(xs),
        min: Math.min(...xs),
        max: Math.max(...xs),
        n: xs.length,
        target,
      });
    };
    // 1. First visit: fetch + parse the .h5, build, warm up (and store in IndexedDB).
    const t0 = Date.now();
    await page.goto(server.url + query);
    await waitForModel(page, 300_000);
    const wall = Date.now() - t0;
    const info = await page.evaluate(() => window.__gradcamTest!.backend!);
    const backend = `${info.name}${info.threads ? ` ${info.threads}t` : ''}`;
    add('first load: weights fetch', await durations(page, 'gc:weights-fetch'));
    add(
      'first load: select -> ready (fetch, parse, build, warm-up)',
      await durations(page, 'gc:model-load'),
    );
    add('first load: navigation -> ready (wall clock)', [wall]);

    // 2. Reload: the parsed network comes from IndexedDB.
    await page.reload();
    await waitForModel(page, 300_000);
    add(
      'reload: select -> ready (IndexedDB, build, warm-up)',
      await durations(page, 'gc:model-load'),
    );

    // 3. Drop to first heatmap (same photo each time; every upload is a new photo to the app).
    await clearMeasures(page);
    for (let i = 0; i < RUNS; i++) {
      await upload(page, `${IMAGES}/both.png`);
      await page.waitForFunction(
        (k) => performance.getEntriesByName('gc:drop-to-heatmap', 'measure').length > k,
        i,
        { timeout: 120_000 },
      );
    }
    add(
      'drop -> first heatmap (both.png 224x224)',
      await durations(page, 'gc:drop-to-heatmap'),
      300,
    );
    add(
      '  of which worker: forward pass (resize, preprocess, top-k)',
      await durations(page, 'gc:worker-analyze'),
    );
    add(
      '  of which worker: Grad-CAM (gradient of the head, map)',
      await durations(page, 'gc:worker-explain'),
    );
    await clearMeasures(page);
    const big = `${IMAGES}/kite_and_cold.jpg`;
    if (existsSync(big)) {
      for (let i = 0; i < Math.max(3, RUNS >> 1); i++) {
        await upload(page, big);
        await page.waitForFunction(
          (k) => performance.getEntriesByName('gc:drop-to-heatmap', 'measure').length > k,
          i,
          { timeout: 120_000 },
        );
      }
      add(
        'drop -> first heatmap (kite 1352x900 JPEG)',
        await durations(page, 'gc:drop-to-heatmap'),
        300,
      );
      await upload(page, `${IMAGES}/both.png`);
      await waitForHeatmap(page, 243);
    }

    // 4. Class switch: the analysis' activations are reused, one backward pass through the head.
    await clearMeasures(page);
    for (let i = 0; i < RUNS; i++) {
      for (const [label, index] of [
        ['tiger cat', 282],
        ['bull mastiff', 243],
      ] as const) {
        await page.locator('label.bar', { hasText: label }).click();
        await waitForHeatmap(page, index);
      }
    }
    add('class switch -> heatmap drawn', await durations(page, 'gc:class-switch'), 50);

    // 5. Display-only changes: opacity and colormap recompose on the main thread.
    await clearMeasures(page);
    await page.locator('#opacity').focus();
    for (let i = 0; i < 3 * RUNS; i++)
      await page.keyboard.press(i % 2 ? 'ArrowLeft' : 'ArrowRight');
    await page.waitForTimeout(200);
    add('opacity change -> overlay recomposed', await durations(page, 'gc:display-change'), 16);
    await clearMeasures(page);
    await page.getByRole('button', { name: /Colormap/ }).click();
    for (let i = 0; i < RUNS; i++) {
      for (const name of ['Viridis', 'Jet']) {
        await page.locator('label.cmap-option', { hasText: name }).first().click();
      }
    }
    await page.waitForTimeout(200);
    add('colormap change -> overlay recomposed', await durations(page, 'gc:display-change'), 16);
    add(
      'compose only (upsample cached + overlay + putImageData)',
      await durations(page, 'gc:compose'),
      16,
    );
    const size = await page
      .getByTestId('overlay')
      .evaluate((c: HTMLCanvasElement) => `${c.width}x${c.height}`);
    console.log(`[bench] ${variant}: backend ${backend} (${info.reason}); overlay ${size} px`);
    await context.close();
  } finally {
    await browser.close();
    await server.close();
  }
}

async function main() {
  const skip = missingPrerequisite();
  if (skip) {
    console.log(`bench:web skipped: ${skip}`);
    return;
  }
  const wanted = (process.env.BENCH_BACKENDS ?? 'auto,wasm-1-thread,webgl').split(',');
  const rows: Row[] = [];
  for (const v of wanted) {
    if (!(v in VARIANTS))
      throw new Error(`Unknown variant ${v}: ${Object.keys(VARIANTS).join(', ')}`);
    try {
      await run(v, VARIANTS[v], rows);
    } catch (e) {
      console.log(`[bench] ${v} failed: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
  const lines = [
    '| variant | backend | measure | median ms | min | max | n | target |',
    '|---|---|---|---:|---:|---:|---:|---|',
    ...rows.map(
      (r) =>
        `| ${r.variant} | ${r.backend} | ${r.measure} | ${fmt(r.median)} | ${fmt(r.min)} | ${fmt(r.max)} | ${r.n} | ${
          r.target === undefined ? '' : `${r.median <= r.target ? 'ok' : 'MISSED'} (<= ${r.target})`
        } |`,
    ),
  ];
  console.log(lines.join('\n'));
}

await main();
