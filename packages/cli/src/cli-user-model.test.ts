// `classify` / `explain` / `layers` with --model-file: the four real user models of
// <shared>/models load, classify their sample photos plausibly and explain them with a
// non-constant map at the default layer; wrong combinations of options are usage errors.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHARED_DIR } from '../../core/src/testing/node.js';
import { SHARED_MODELS, sharedModelsSkip } from '../../core/src/testing/shared-models.js';
import { testImages, useCliSandbox } from './testing/cli-run.js';

const skip = sharedModelsSkip('the CLI tests with the shared user models');
const { CAT } = testImages(SHARED_DIR);
const byId = Object.fromEntries(SHARED_MODELS.map((m) => [m.id, m]));
const covid = byId['tm_covid_xray']!;
const catdog = byId['catdog_sigmoid_64']!;
const gtsrb = byId['tfjs_gtsrb_30px']!;

const { box, cli } = useCliSandbox();

interface Explained {
  image: string;
  model: string;
  layer: string;
  target: { index: number; label: string; probability: number };
  map: { width: number; height: number; values: number[][] };
  output: string;
}

describe.skipIf(skip)('the shared user models', () => {
  it('classify: the X-ray sample is "covid", the mandatory sign "Go straight or right"', async () => {
    const a = await cli([
      'classify',
      ...covid.samples,
      '--model-file',
      covid.model,
      '--labels',
      covid.labels,
      '--json',
    ]);
    expect(a.code).toBe(0);
    const [x] = JSON.parse(a.stdout) as {
      model: string;
      predictions: { label: string; probability: number }[];
    }[];
    expect(x!.model).toBe('tm_covid_xray');
    expect(x!.predictions[0]!.label).toBe('covid');
    expect(a.stderr).toMatch(
      /Loaded .*tm_covid_xray\.h5 in [\d.]+ s: Keras 2\.4\.0 full-model HDF5, input 224x224x3, 2 classes \(covid, normal\)/,
    );
    expect(a.stderr).toContain(
      'nested models flattened: sequential_5, sequential_5/model2, sequential_7',
    );
    expect(a.stderr).toMatch(/preprocessing: tf .*MobileNetV2/);

    // The authors feed raw 0..255 pixels, which the file does not record: --preprocess raw.
    const b = await cli([
      'classify',
      gtsrb.samples[0]!,
      '--model-file',
      gtsrb.model,
      '--labels',
      gtsrb.labels,
      '--preprocess',
      'raw',
      '-k',
      '3',
    ]);
    expect(b.code).toBe(0);
    expect(b.stdout).toMatch(/1\. +\d+\.\d+% +Go straight or right \(36\)/);
    expect(b.stderr).toContain('preprocessing: raw (0..255');
  });

  it('a single sigmoid unit says which class is p and which its opposite', async () => {
    const r = await cli([
      'classify',
      CAT,
      '--model-file',
      catdog.model,
      '--labels',
      catdog.labels,
      '--json',
    ]);
    expect(r.code).toBe(0);
    const [x] = JSON.parse(r.stdout) as {
      predictions: { index: number; label: string; probability: number }[];
    }[];
    const p = x!.predictions;
    expect(p.map((q) => q.label).sort()).toEqual(['cat', 'dog']);
    expect(p[0]!.probability + p[1]!.probability).toBeCloseTo(1, 5);
    expect(r.stderr).toContain(
      'output: one sigmoid unit p: "dog" (class 1) is p, "cat" (class 0) its opposite, 1 - p',
    );
  });

  it.each(SHARED_MODELS.map((m) => [m.id, m] as const))(
    'explain %s: a non-constant map at the default layer',
    async (_id, m) => {
      const images = m.samples.length > 0 ? m.samples : [CAT];
      const out = join(box().tmp, m.id);
      const args = [
        'explain',
        ...images,
        '--model-file',
        m.model,
        '--labels',
        m.labels,
        '-o',
        out,
        '--json',
      ];
      const r = await cli(m.authors === 'raw' ? [...args, '--preprocess', 'raw'] : args);
      expect(r.code).toBe(0);
      for (const e of JSON.parse(r.stdout) as Explained[]) {
        expect(e.model).toBe(m.id);
        expect(e.layer).toBe(m.defaultLayer);
        expect([e.map.height, e.map.width]).toEqual(m.map);
        const values = e.map.values.flat();
        expect(Math.max(...values)).toBe(1);
        expect(Math.min(...values)).toBeLessThan(0.9);
        expect(existsSync(e.output)).toBe(true);
      }
    },
  );

  it("explain --class takes the model's own labels; layers lists the flattened layers", async () => {
    const r = await cli([
      'explain',
      gtsrb.samples[1]!,
      '--model-file',
      gtsrb.model,
      '--labels',
      gtsrb.labels,
      '--class',
      'keep left',
      '-o',
      box().tmp,
      '--json',
    ]);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as Explained[])[0]!.target).toMatchObject({
      index: 39,
      label: 'Keep left',
    });
    const bad = await cli([
      'explain',
      gtsrb.samples[1]!,
      '--model-file',
      gtsrb.model,
      '--class',
      'tabby',
      '-o',
      box().tmp,
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--class tabby: not a class of this model; give an index 0-42/);
    const layers = await cli(['layers', '--model-file', covid.model]);
    expect(layers.code).toBe(0);
    expect(layers.stdout).toMatch(/sequential_5\/model2\/Conv_1 +Conv2D +7x7x1280 +\(default\)/);
    const wrong = await cli([
      'explain',
      covid.samples[0]!,
      '--model-file',
      covid.model,
      '--layer',
      'Conv_1',
      '-o',
      box().tmp,
    ]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain(
      `\`gradcam-explorer layers --model-file ${covid.model}\` lists the valid layers`,
    );
  });
});

describe('usage', () => {
  it('--model or --model-file, not both, and their own options', async () => {
    const img = join(SHARED_DIR, 'images', 'cat.bmp');
    for (const [args, message] of [
      [
        ['classify', img],
        /give a network \(--model <id>\) or your own model \(--model-file <path>\)/,
      ],
      [
        ['classify', img, '--model', 'mobilenet_v2', '--model-file', 'm.h5'],
        /cannot be used together/,
      ],
      [
        ['classify', img, '--model', 'mobilenet_v2', '--labels', 'l.txt'],
        /--labels applies to --model-file only/,
      ],
      [
        ['classify', img, '--model-file', 'm.h5', '--weights', 'w.h5'],
        /a model file has its weights/,
      ],
      [
        ['classify', img, '--model-file', join(box().tmp, 'absent.h5')],
        /--model-file .*absent\.h5: no such file/,
      ],
    ] as const) {
      const r = await cli([...args]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });

  it('a file that is not a model fails with a message, not a stack trace', async () => {
    const path = join(box().tmp, 'notes.keras');
    await writeFile(path, 'PK\u0003\u0004 not really a zip');
    const r = await cli(['classify', join(SHARED_DIR, 'images', 'cat.bmp'), '--model-file', path]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: ".*notes\.keras" is a damaged or truncated zip archive/m);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
