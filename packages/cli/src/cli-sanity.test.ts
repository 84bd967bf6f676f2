// The CLI contract for `sanity` (cascading randomisation, Adebayo et al. 2018): usage errors before
// anything loads, and with the real MobileNetV2 weights the curves written as JSON and as a table.
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SanityResult } from '@gradcam-explorer/core';
import { findRealWeights, SHARED_DIR } from '../../core/src/testing/node.js';
import { realMobileNet } from './testing/cli-real-weights.js';
import { MOBILENET_FILE, testImages, useCliSandbox } from './testing/cli-run.js';

const { BOTH } = testImages(SHARED_DIR);
const real = findRealWeights(MOBILENET_FILE);
const { skipReal, weightsDir } = realMobileNet(real, SHARED_DIR);

const { box, cli } = useCliSandbox();

describe('sanity: usage errors come before the network loads', () => {
  it('an unknown method is named, with the valid ones (exit 2)', async () => {
    const r = await cli(['sanity', 'x.png', '-m', 'mobilenet_v2', '--methods', 'gradcam,nope']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--methods: unknown method "nope"; valid: gradcam, .*guided-backprop/);
  });

  it('--out in a folder that does not exist (exit 2, nothing created)', async () => {
    const out = join(box().tmp, 'missing', 'curves.json');
    const r = await cli(['sanity', 'x.png', '-m', 'mobilenet_v2', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('does not exist');
    expect(existsSync(join(box().tmp, 'missing'))).toBe(false);
  });

  it('--model is required and checked', async () => {
    expect((await cli(['sanity', 'x.png'])).code).toBe(2);
    expect((await cli(['sanity', 'x.png', '-m', 'alexnet'])).code).toBe(2);
  });
});

describe.skipIf(skipReal)('sanity with real MobileNetV2 weights', () => {
  it('writes the curves of Grad-CAM and guided backprop for both.png, bull mastiff', async () => {
    const dir = await mkdtemp(join(box().tmp, 'sanity-'));
    const out = join(dir, 'curves.json');
    const r = await cli(['sanity', BOTH, '-m', 'mobilenet_v2', '--class', '243', '--out', out], {
      GRADCAM_WEIGHTS_DIR: weightsDir,
    });
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
    // Only the JSON file: no temporary file left behind.
    expect(await readdir(dir)).toEqual(['curves.json']);
    const j = JSON.parse(await readFile(out, 'utf8')) as SanityResult & { image: string };
    expect(j.image).toBe(BOTH);
    expect(j.model).toBe('mobilenet_v2');
    expect([j.classIndex, j.label, j.layer]).toEqual([243, 'bull mastiff', 'out_relu']);
    expect(j.methods).toEqual(['gradcam', 'guided-backprop']);
    // 20 blocks, the classifier first and the stem last; step 0 is the trained network.
    expect(j.order).toHaveLength(20);
    expect(j.order.slice(0, 3)).toEqual(['predictions', 'Conv_1', 'block_16']);
    expect(j.order.at(-1)).toBe('Conv1');
    expect(j.steps.map((s) => s.block)).toEqual([null, ...j.order]);
    expect(Math.abs(j.steps[0].probability - 0.5699)).toBeLessThan(1e-3);
    for (const m of j.methods) {
      expect(j.steps[0].methods[m].spearman).toBeCloseTo(1, 9);
      expect(j.steps[0].methods[m].ssim).toBeCloseTo(1, 9);
      expect(j.baseline[m].unrelatedInputs.n).toBe(4);
      expect(j.baseline[m].randomMaps.n).toBe(16);
      // No maps in the JSON: the curves only.
      expect(j.steps[1].methods[m]).not.toHaveProperty('map');
    }
    // The paper's contrast: with only the classifier randomised, Grad-CAM's map is another map,
    // guided backprop's is nearly the same picture.
    const after1 = j.steps[1].methods;
    expect(after1.gradcam.spearman).toBeLessThan(0.5);
    expect(after1['guided-backprop'].spearman).toBeGreaterThan(0.9);
    expect(after1['guided-backprop'].ssim).toBeGreaterThan(0.9);
    // Guided backprop stays closer to its original than Grad-CAM through the top half of the cascade.
    for (let i = 1; i <= 10; i++) {
      expect(j.steps[i].methods['guided-backprop'].spearman, `step ${i}`).toBeGreaterThan(
        j.steps[i].methods.gradcam.spearman,
      );
    }
    expect(j.comparison.ssim).toMatchObject({ window: 11, sigma: 1.5, k1: 0.01, k2: 0.03 });
    // The table: a header, 21 steps, 2 baselines.
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toContain('"bull mastiff" (243), 20 blocks randomised from the top');
    expect(lines[1]).toMatch(/^step\s+randomised block\s+p\(class\)\s+gradcam rho/);
    expect(lines.slice(2)).toHaveLength(23);
    expect(lines[2]).toMatch(
      /^0\s+\(trained network\)\s+56\.99%\s+1\.000\s+1\.000\s+1\.000\s+1\.000$/,
    );
  });

  it('without --out prints the JSON; --methods picks the methods', async () => {
    const r = await cli(['sanity', BOTH, '-m', 'mobilenet_v2', '--methods', 'gradcam'], {
      GRADCAM_WEIGHTS_DIR: weightsDir,
    });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as SanityResult;
    // Default class: the top-1.
    expect(j.classIndex).toBe(243);
    expect(j.methods).toEqual(['gradcam']);
    expect(Object.keys(j.baseline)).toEqual(['gradcam']);
    expect(j.steps).toHaveLength(21);
  });
});
