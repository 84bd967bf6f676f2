// Pixel parity: the same file gives the same top-5 in the page and in the CLI (and so in Keras,
// whose decoding the CLI matches byte for byte: packages/cli/src/image-io-photos.test.ts).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writePixelFixtures, type PixelFixture } from '../../cli/src/testing/pixel-fixtures';
import { IMAGES, REPO, WEIGHTS_DIR, upload, waitForModel } from './harness';
import { e2eSkip, useApp } from './app-helpers';

const skip = e2eSkip();
const app = useApp(skip);

interface Top {
  index: number;
  probability: number;
}

/** Probabilities may differ by float rounding between the two runs of the same network. */
const TOLERANCE = 1e-4;

describe.skipIf(skip !== null)('the same file, the same numbers in the page and the CLI', () => {
  let dir: string;
  let files: PixelFixture[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gradcam-pixels-'));
    files = [
      ...(await writePixelFixtures(dir)),
      { name: 'kite_and_cold.jpg', path: `${IMAGES}/kite_and_cold.jpg`, what: '1352x900 photo' },
      { name: 'parrot.jpg', path: `${IMAGES}/parrot.jpg`, what: 'JPEG photo' },
    ];
  });

  afterAll(async () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('top-5 of every fixture agree within 1e-4', async () => {
    const r = spawnSync(
      process.execPath,
      [
        `${REPO}packages/cli/bin/gradcam-explorer.js`,
        'classify',
        ...files.map((f) => f.path),
        '--model',
        'mobilenet_v2',
        '--top',
        '5',
        '--json',
      ],
      { encoding: 'utf8', env: { ...process.env, GRADCAM_WEIGHTS_DIR: WEIGHTS_DIR } },
    );
    expect(r.status, r.stderr).toBe(0);
    const cli = new Map(
      (JSON.parse(r.stdout) as { image: string; predictions: Top[] }[]).map((x) => [
        x.image,
        x.predictions,
      ]),
    );

    const { page, errors } = await app.open();
    await waitForModel(page);
    const rows: string[] = [];
    for (const f of files) {
      await page.evaluate(() => (window.__gradcamTest!.predictions = null));
      await upload(page, f.path);
      await page.waitForFunction(() => window.__gradcamTest?.predictions !== null, null, {
        timeout: 60_000,
      });
      const inPage = (await page.evaluate(() => window.__gradcamTest!.predictions!)).slice(0, 5);
      const inCli = cli.get(f.path)!;
      expect(
        inPage.map((p) => p.index),
        f.what,
      ).toEqual(inCli.map((p) => p.index));
      const worst = Math.max(
        ...inPage.map((p, i) => Math.abs(p.probability - inCli[i]!.probability)),
      );
      rows.push(
        `${f.name}: class ${inCli[0]!.index}, largest difference ${worst.toExponential(1)}`,
      );
      expect(worst, f.what).toBeLessThan(TOLERANCE);
    }
    console.log(`[e2e] page vs CLI top-5 probabilities:\n  ${rows.join('\n  ')}`);
    expect(errors).toEqual([]);
  });
});
