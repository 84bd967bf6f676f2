// End-to-end tests of "Use your own model..." in Chromium: the four real user models in
// ../shared/models (Keras 2 HDF5 nested Teachable Machine model, a single sigmoid unit, a Keras 3
// .keras zip on grayscale input, a TensorFlow.js model.json with its shard) dropped on the page,
// what the page says it understood, a prediction and a non-constant map; a truncated file's message.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  IMAGES,
  MOBILENET_FILE,
  REPO,
  WEIGHTS_DIR,
  SHARED,
  missingPrerequisite,
  upload,
  waitForHeatmap,
  waitForModel,
} from './harness';
import { useApp } from './app-helpers';

const MODELS = process.env.GRADCAM_MODELS_DIR ?? `${SHARED}models`;
const SCREENS = `${REPO}test-results/user-model`;

const skip =
  missingPrerequisite() ??
  (existsSync(`${MODELS}/tm_covid_xray.h5`) ? null : `no user models in ${MODELS}`);
if (skip) console.warn(`[e2e] skipped: ${skip}`);
const app = useApp(skip);

/** Drops files (paths, or [name, bytes]) on `selector` as one drag and drop. */
async function dropFiles(page: Page, selector: string, files: (string | [string, Buffer])[]) {
  const payload = files.map((f) =>
    typeof f === 'string'
      ? [f.split('/').at(-1)!, readFileSync(f).toString('base64')]
      : [f[0], f[1].toString('base64')],
  );
  const dt = await page.evaluateHandle((list) => {
    const t = new DataTransfer();
    for (const [name, b64] of list) {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      t.items.add(new File([bytes], name));
    }
    return t;
  }, payload);
  await page.dispatchEvent(selector, 'dragenter', { dataTransfer: dt });
  await page.dispatchEvent(selector, 'dragover', { dataTransfer: dt });
  await page.dispatchEvent(selector, 'drop', { dataTransfer: dt });
}

const facts = (page: Page, id: string) => page.getByTestId(`user-model-${id}`).innerText();

/** Waits for the user model `id` to be the loaded network. */
async function waitForUserModel(page: Page, id: string) {
  await expect
    .poll(() => page.locator('[data-testid="user-model"] .status-ok').allInnerTexts(), {
      timeout: 120_000,
    })
    .toEqual([expect.stringContaining(`Using your model ${id}`)]);
  await waitForModel(page);
}

/** The drawn map: not constant, and finite. */
async function expectNonConstantMap(page: Page) {
  const map = await page.evaluate(() => window.__gradcamTest!.lastMap);
  expect(map).not.toBeNull();
  const v = map!.values;
  expect(v.every(Number.isFinite)).toBe(true);
  expect(Math.max(...v) - Math.min(...v)).toBeGreaterThan(1e-3);
}

const predictions = (page: Page) => page.evaluate(() => window.__gradcamTest!.predictions);

describe.skipIf(skip !== null)('Use your own model', () => {
  beforeAll(async () => {
    mkdirSync(SCREENS, { recursive: true });
  });

  it('a Teachable Machine .h5 dropped anywhere: nested layer, -1..1, its sample explained', async () => {
    const { context, page, errors } = await app.open();
    await waitForModel(page);
    // Dropped on step 2, far from the panel; the labels file with it.
    await dropFiles(page, '#step-predict', [
      `${MODELS}/tm_covid_xray.h5`,
      `${MODELS}/tm_covid_xray.labels.txt`,
    ]);
    await waitForUserModel(page, 'tm_covid_xray');
    expect(await facts(page, 'input-size')).toMatch(/^224×224, RGB \(3 channels\)/);
    expect(await facts(page, 'classes')).toMatch(/^2: “covid”, “normal”/);
    expect(await facts(page, 'classes')).toMatch(/names from tm_covid_xray\.labels\.txt/);
    expect(await facts(page, 'output')).toMatch(/softmax over 2 classes/);
    expect(await page.getByTestId('user-model-preprocessing').inputValue()).toBe('tf');
    expect(await facts(page, 'preprocessing-note')).toMatch(/It matters/);
    expect(await facts(page, 'layer')).toMatch(/Conv_1 \(7×7 map, 1280 channels\)/);
    expect(await facts(page, 'name')).toMatch(/^tm_covid_xray\.h5 · Keras/);
    expect(await page.getByTestId('user-model').innerText()).toMatch(
      /The model stays on this device/,
    );
    // The ImageNet weights panel gives way to the user model.
    expect(await page.locator('.weights-panel').count()).toBe(0);

    await upload(page, `${MODELS}/tm_covid_xray.sample1.jpeg`);
    await waitForHeatmap(page);
    const top = (await predictions(page))!;
    expect(top.map((p) => p.label).sort()).toEqual(['covid', 'normal']);
    expect(top[0].probability + top[1].probability).toBeCloseTo(1, 4);
    await expectNonConstantMap(page);
    const explained = await page.evaluate(() => window.__gradcamTest!.explained);
    expect(explained!.layer).toMatch(/Conv_1$/);
    console.log(
      `[user-model] covid sample: ${top.map((p) => `${p.label} ${p.probability.toFixed(3)}`).join(', ')}`,
    );

    // Another method and the counterfactual work as for the ImageNet networks.
    await page.locator('input[name="method"][value="gradcam++"]').check();
    await expect
      .poll(() => page.evaluate(() => window.__gradcamTest!.explained?.method), { timeout: 60_000 })
      .toBe('gradcam++');
    await expectNonConstantMap(page);

    await page.getByTestId('user-model').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SCREENS}/covid-1440x900.png` });
    await page.getByTestId('user-model').screenshot({ path: `${SCREENS}/covid-panel-1440.png` });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByTestId('user-model').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SCREENS}/covid-390x844.png` });
    await page.getByTestId('user-model').screenshot({ path: `${SCREENS}/covid-panel-390.png` });
    await page.setViewportSize({ width: 1440, height: 900 });

    // Back to an ImageNet network: it loads and explains the same photo.
    await page.locator('label.model-card:has(input[value="mobilenet_v2"])').click();
    await waitForModel(page);
    await waitForHeatmap(page);
    expect((await predictions(page))!.length).toBe(10);
    expect(await page.getByTestId('user-model-facts').count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a single sigmoid unit: says which class is p, explains both.png', async () => {
    const { context, page } = await app.open();
    await waitForModel(page);
    await dropFiles(page, '[data-testid="user-model-drop"]', [
      `${MODELS}/catdog_sigmoid_64.h5`,
      `${MODELS}/catdog_sigmoid_64.labels.json`,
    ]);
    await waitForUserModel(page, 'catdog_sigmoid_64');
    expect(await facts(page, 'input-size')).toMatch(/^64×64, RGB/);
    expect(await facts(page, 'output')).toBe('one sigmoid unit p: “dog” is p, “cat” is 1−p.');
    expect(await page.getByTestId('user-model-preprocessing').inputValue()).toBe('unit');
    expect(await facts(page, 'layer')).toMatch(/conv2d_15/);
    await upload(page, `${IMAGES}/both.png`);
    await waitForHeatmap(page);
    const top = (await predictions(page))!;
    expect(top.map((p) => p.label).sort()).toEqual(['cat', 'dog']);
    expect(top[0].probability + top[1].probability).toBeCloseTo(1, 4);
    await expectNonConstantMap(page);
    console.log(
      `[user-model] catdog both.png: ${top.map((p) => `${p.label} ${p.probability.toFixed(3)}`).join(', ')}`,
    );
    await context.close();
  });

  it('a Keras 3 .keras on grayscale input: the grayscale note, a prediction and a map', async () => {
    const { context, page } = await app.open();
    await waitForModel(page);
    await dropFiles(page, '[data-testid="user-model-drop"]', [
      `${MODELS}/fashion_mnist_cnn.keras`,
      `${MODELS}/fashion_mnist_cnn.labels.json`,
    ]);
    await waitForUserModel(page, 'fashion_mnist_cnn');
    expect(await facts(page, 'input-size')).toMatch(/^28×28, grayscale \(1 channel\)/);
    expect(await facts(page, 'grayscale')).toMatch(/converted to grayscale/);
    expect(await facts(page, 'classes')).toMatch(/^10: “T-shirt\/top”, .* and 5 more/);
    await upload(page, `${IMAGES}/cat.bmp`);
    await waitForHeatmap(page);
    expect((await predictions(page))!.length).toBe(10);
    await expectNonConstantMap(page);
    await context.close();
  });

  it('a TensorFlow.js model.json with its shard, raw 0..255 chosen: its sample explained', async () => {
    const { context, page } = await app.open();
    await waitForModel(page);
    const dir = `${MODELS}/tfjs_gtsrb_30px`;
    await dropFiles(page, '#step-choose', [
      `${dir}/model.json`,
      `${dir}/group1-shard1of1.bin`,
      `${MODELS}/tfjs_gtsrb_30px.labels.json`,
    ]);
    await waitForUserModel(page, 'model');
    expect(await facts(page, 'input-size')).toMatch(/^30×30, RGB/);
    expect(await facts(page, 'classes')).toMatch(/^43: “Speed limit \(20km\/h\)”/);
    await upload(page, `${MODELS}/tfjs_gtsrb_30px.sample1_test.png`);
    await waitForHeatmap(page);
    const before = (await predictions(page))![0];
    await page.getByTestId('user-model-preprocessing').selectOption('raw');
    await expect
      .poll(() => predictions(page).then((p) => p?.[0]?.probability !== before.probability))
      .toBe(true);
    await waitForHeatmap(page);
    expect(await page.getByTestId('user-model-preprocessing').inputValue()).toBe('raw');
    expect(await facts(page, 'preprocessing-note')).toMatch(/because chosen by you/);
    const top = (await predictions(page))!;
    await expectNonConstantMap(page);
    console.log(
      `[user-model] gtsrb sample1 (raw): ${top
        .slice(0, 3)
        .map((p) => `${p.label} ${p.probability.toFixed(3)}`)
        .join(', ')}`,
    );
    await context.close();
  });

  it('an ImageNet weights-only .h5 dropped still loads as weights, also over a user model', async () => {
    const { context, page } = await app.open();
    await waitForModel(page);
    await dropFiles(page, '[data-testid="user-model-drop"]', [`${MODELS}/catdog_sigmoid_64.h5`]);
    await waitForUserModel(page, 'catdog_sigmoid_64');
    // No labels file: the classes are named by number, and the page says so.
    expect(await facts(page, 'classes')).toMatch(/^2: “class 0”, “class 1”\s+\(no labels file/);
    await dropFiles(page, '#step-predict', [`${WEIGHTS_DIR}/${MOBILENET_FILE}`]);
    await expect
      .poll(() => page.locator('[data-testid="weights-origin"]').allInnerTexts(), {
        timeout: 120_000,
      })
      .toEqual([expect.stringContaining(`Weights: your file ${MOBILENET_FILE}`)]);
    await waitForModel(page);
    expect(await page.locator('input[name="model"][value="mobilenet_v2"]').isChecked()).toBe(true);
    expect(await page.getByTestId('user-model-facts').count()).toBe(0);
    expect(await page.getByTestId('user-model-error').count()).toBe(0);
    await upload(page, `${IMAGES}/both.png`);
    await waitForHeatmap(page);
    expect((await predictions(page))!.length).toBe(10);
    await context.close();
  });

  it('a truncated .h5 gives its message next to the control, and the page stays usable', async () => {
    const { context, page } = await app.open();
    await waitForModel(page);
    const whole = readFileSync(`${MODELS}/catdog_sigmoid_64.h5`);
    await dropFiles(page, '[data-testid="user-model-drop"]', [
      ['broken.h5', whole.subarray(0, whole.length >> 1)],
    ]);
    const error = page.getByTestId('user-model-error');
    await error.waitFor({ timeout: 60_000 });
    const message = await error.innerText();
    expect(message).toMatch(/broken\.h5/);
    expect(message).not.toMatch(/\bat \w+ \(|Error:/); // a message, not a stack trace
    console.log(`[user-model] truncated: ${message}`);
    // MobileNetV2 is still the network, and explains a photo.
    await upload(page, `${IMAGES}/both.png`);
    await waitForHeatmap(page);
    expect((await predictions(page))!.length).toBe(10);
    await context.close();
  });
});
