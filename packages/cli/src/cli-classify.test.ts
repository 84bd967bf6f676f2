// The CLI contract for `classify` with the real MobileNetV2 weights: JSON and text output, the
// top-k predictions against the Keras reference, --weights, and unreadable inputs.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findRealWeights, SHARED_DIR } from '../../core/src/testing/node.js';
import { realMobileNet, type Prediction } from './testing/cli-real-weights.js';
import { MOBILENET_FILE, testImages, useCliSandbox } from './testing/cli-run.js';

const { BOTH, CAT } = testImages(SHARED_DIR);
const real = findRealWeights(MOBILENET_FILE);
const { skipReal, weightsDir, reference } = realMobileNet(real, SHARED_DIR);

const { box, cli } = useCliSandbox();

describe.skipIf(skipReal)('classify with real MobileNetV2 weights', () => {
  it('--json gives the top 5 of both.png: 243 bull mastiff first', async () => {
    const r = await cli(['classify', BOTH, '--model', 'mobilenet_v2', '--json'], {
      GRADCAM_WEIGHTS_DIR: weightsDir,
    });
    expect(r.code).toBe(0);
    const results = JSON.parse(r.stdout) as {
      image: string;
      model: string;
      predictions: Prediction[];
    }[];
    expect(results).toHaveLength(1);
    expect(Object.keys(results[0]).sort()).toEqual(['image', 'model', 'predictions']);
    expect(results[0].image).toBe(BOTH);
    expect(results[0].model).toBe('mobilenet_v2');
    const p = results[0].predictions;
    expect(p).toHaveLength(5);
    for (const x of p) expect(Object.keys(x).sort()).toEqual(['index', 'label', 'probability']);
    expect(p[0].index).toBe(243);
    expect(p[0].label).toBe('bull mastiff');
    expect(Math.abs(p[0].probability - 0.5699)).toBeLessThan(1e-3);
    if (reference) {
      const ref = reference.images.both.top5;
      expect(p.map((x) => x.index)).toEqual(ref.map((x) => x.index));
      p.forEach((x, i) => expect(Math.abs(x.probability - ref[i].probability)).toBeLessThan(1e-3));
    }
    // Messages go to stderr only.
    expect(r.stderr).toContain(`Loading MobileNetV2 weights from ${real.path} (env-dir)`);
  });

  it('--top 7 with --weights <file> gives 7 sorted predictions per image', async () => {
    const r = await cli([
      'classify',
      BOTH,
      CAT,
      '-m',
      'mobilenet_v2',
      '--weights',
      real.path!,
      '--top',
      '7',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const results = JSON.parse(r.stdout) as { image: string; predictions: Prediction[] }[];
    expect(results.map((x) => x.image)).toEqual([BOTH, CAT]);
    for (const { predictions } of results) {
      expect(predictions).toHaveLength(7);
      expect(new Set(predictions.map((x) => x.index)).size).toBe(7);
      for (let i = 1; i < 7; i++) {
        expect(predictions[i].probability).toBeLessThanOrEqual(predictions[i - 1].probability);
      }
      for (const x of predictions) {
        expect(x.probability).toBeGreaterThan(0);
        expect(x.probability).toBeLessThan(1);
      }
    }
    expect(results[0].predictions[0].index).toBe(243);
    expect(results[1].predictions[0]).toMatchObject({ index: 285, label: 'Egyptian cat' });
    expect(r.stderr).toContain(`(file)`);
  });

  it('--weights of another network is a clear error (exit 1)', async () => {
    const r = await cli(['classify', BOTH, '-m', 'resnet50', '--weights', real.path!, '--json']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(
      `error: Weights file "${real.path}" holds MobileNetV2 weights, not ResNet50 weights`,
    );
  });

  it('prints readable text without --json', async () => {
    const r = await cli(['classify', BOTH, '-m', 'mobilenet_v2', '-k', '2'], {
      GRADCAM_WEIGHTS_DIR: weightsDir,
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(
        `^${BOTH}\\n {2}1\\. {2}56\\.99% {2}bull mastiff \\(243\\)\\n {2}2\\. .*boxer \\(242\\)\\n$`,
      ),
    );
    expect(r.stderr).not.toContain('bull mastiff');
  });

  it('reports an unreadable input as {image, error}, exit 1, and still classifies the rest', async () => {
    const notes = join(box().tmp, 'notes-classify.jpg');
    await writeFile(notes, 'meeting notes, not a photo\n');
    const r = await cli(['classify', notes, BOTH, '-m', 'mobilenet_v2', '--json'], {
      GRADCAM_WEIGHTS_DIR: weightsDir,
    });
    expect(r.code).toBe(1);
    const results = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(results).toHaveLength(2);
    expect(results[0]).toEqual({ image: notes, error: expect.stringContaining('not an image') });
    expect(results[1]).toMatchObject({ image: BOTH, model: 'mobilenet_v2' });
    expect((results[1].predictions as Prediction[])[0].index).toBe(243);
    expect(r.stderr).toContain(`error: ${notes}: `);
  });
});
