// The CLI contract (models / classify / explain): JSON shapes and values, files written, exit codes,
// stdout/stderr separation. In-process through run(), plus one spawn of the real bin.
import { createServer, type AddressInfo } from 'node:net';
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findRealWeights, REPO_ROOT, SHARED_DIR } from '../../core/src/testing/node.js';
import { decodeImageFile } from './image-io.js';
import { run } from './index.js';

const MOBILENET_FILE = 'mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224.h5';
const IMAGES = join(SHARED_DIR, 'images');
const BOTH = join(IMAGES, 'both.png');
const CAT = join(IMAGES, 'cat.bmp');
const KITE = join(IMAGES, 'kite_and_cold.jpg');
/** Nothing listens there (and fetch refuses the port): any download attempt fails at once. */
/** Downloads go to a loopback port nothing listens on (set in beforeAll): nothing leaves the machine. */
let NO_DOWNLOADS = '';

/** The models table of the contract (every field, in order). */
const MODELS_EXPECTED = [
  {
    id: 'vgg16',
    name: 'VGG16',
    inputSize: 224,
    defaultLayer: 'block5_conv3',
    parameters: 138357544,
    weightsFile: 'vgg16_weights_tf_dim_ordering_tf_kernels.h5',
  },
  {
    id: 'resnet50',
    name: 'ResNet50',
    inputSize: 224,
    defaultLayer: 'conv5_block3_out',
    parameters: 25636712,
    weightsFile: 'resnet50_weights_tf_dim_ordering_tf_kernels.h5',
  },
  {
    id: 'mobilenet_v2',
    name: 'MobileNetV2',
    inputSize: 224,
    defaultLayer: 'out_relu',
    parameters: 3538984,
    weightsFile: MOBILENET_FILE,
  },
  {
    id: 'xception',
    name: 'Xception',
    inputSize: 299,
    defaultLayer: 'block14_sepconv2_act',
    parameters: 22910480,
    weightsFile: 'xception_weights_tf_dim_ordering_tf_kernels.h5',
  },
];

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

function sink(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _enc, cb) {
      chunks.push(String(chunk));
      cb();
    },
  });
  return { stream, text: () => chunks.join('') };
}

let tmp: string;
/** XDG_CACHE_HOME for every run: stays empty (checked in afterAll). */
let emptyCache: string;

/**
 * Runs the CLI in-process with capturing streams. The environment is isolated: an empty weights
 * cache, downloads impossible, no GRADCAM_WEIGHTS_DIR unless `env` sets one; restored afterwards.
 */
async function cli(
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<CliResult> {
  const vars: Record<string, string | undefined> = {
    XDG_CACHE_HOME: emptyCache,
    GRADCAM_WEIGHTS_BASE_URL: NO_DOWNLOADS,
    GRADCAM_WEIGHTS_DIR: undefined,
    ...env,
  };
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const setAll = (values: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  const out = sink();
  const err = sink();
  setAll(vars);
  try {
    const code = await run(['node', 'gradcam-explorer', ...args], {
      stdout: out.stream,
      stderr: err.stream as unknown as NodeJS.WriteStream,
    });
    return { code, stdout: out.text(), stderr: err.text() };
  } finally {
    setAll(saved);
  }
}

/** All regular files under `dir`, recursively (relative paths). */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

function maxAbsDiff(a: number[][], b: number[][]): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  a.forEach((row, r) => {
    expect(row.length).toBe(b[r].length);
    row.forEach((v, c) => (d = Math.max(d, Math.abs(v - b[r][c]))));
  });
  return d;
}

beforeAll(async () => {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  NO_DOWNLOADS = `http://127.0.0.1:${(probe.address() as AddressInfo).port}/`;
  await new Promise((r) => probe.close(r));
  tmp = await mkdtemp(join(tmpdir(), 'gradcam-cli-test-'));
  emptyCache = join(tmp, 'empty-cache');
});

afterAll(async () => {
  try {
    // No run may have downloaded (or half-downloaded) anything into the cache.
    if (existsSync(emptyCache)) expect(await filesUnder(emptyCache)).toEqual([]);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
});

describe('models', () => {
  it('--json lists the four networks, none cached with an empty cache and no GRADCAM_WEIGHTS_DIR', async () => {
    const r = await cli(['models', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(MODELS_EXPECTED.map((m) => ({ ...m, cached: false })));
    expect(r.stderr).toBe('');
  });

  it('counts a file in GRADCAM_WEIGHTS_DIR as cached (only for that model)', async () => {
    const dir = await mkdtemp(join(tmp, 'weights-dir-'));
    await writeFile(join(dir, 'xception_weights_tf_dim_ordering_tf_kernels.h5'), 'x');
    const r = await cli(['models', '--json'], { GRADCAM_WEIGHTS_DIR: dir });
    expect(r.code).toBe(0);
    const cached = (JSON.parse(r.stdout) as { id: string; cached: boolean }[]).map((m) => [
      m.id,
      m.cached,
    ]);
    expect(cached).toEqual([
      ['vgg16', false],
      ['resnet50', false],
      ['mobilenet_v2', false],
      ['xception', true],
    ]);
  });

  it('prints a readable table without --json', async () => {
    const r = await cli(['models']);
    expect(r.code).toBe(0);
    expect(() => JSON.parse(r.stdout)).toThrow();
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(/^id\s+name\s+input\s+default layer\s+parameters\s+weights cached$/);
    expect(lines[3]).toMatch(/^mobilenet_v2\s+MobileNetV2\s+224x224\s+out_relu\s+3,538,984\s+no$/);
    expect(lines[4]).toMatch(
      /^xception\s+Xception\s+299x299\s+block14_sepconv2_act\s+22,910,480\s+no$/,
    );
  });
});

describe('layers', () => {
  it('--json lists the CAM layers input to output with resolutions, default marked (no weights needed)', async () => {
    const r = await cli(['layers', '--model', 'mobilenet_v2', '--json']);
    expect(r.code).toBe(0);
    const layers = JSON.parse(r.stdout) as Array<{
      name: string;
      height: number;
      width: number;
      channels: number;
      isDefault: boolean;
    }>;
    expect(layers[0]).toMatchObject({ name: 'Conv1', height: 112, width: 112, channels: 32 });
    expect(layers.at(-1)).toMatchObject({
      name: 'out_relu',
      height: 7,
      width: 7,
      channels: 1280,
      isDefault: true,
    });
    expect(layers.filter((l) => l.isDefault)).toHaveLength(1);
    const names = layers.map((l) => l.name);
    expect(names).toContain('block_13_expand_relu');
    expect(names).not.toContain('block_1_pad');
    expect(names).not.toContain('predictions');
  });

  it('an unknown model is bad usage', async () => {
    expect((await cli(['layers', '--model', 'alexnet'])).code).toBe(2);
  });
});

describe('the gradcam-explorer bin', () => {
  const bin = join(REPO_ROOT, 'packages/cli/bin/gradcam-explorer.js');

  beforeAll(() => {
    if (!existsSync(join(REPO_ROOT, 'packages/cli/dist/index.js'))) {
      execFileSync('npx', ['tsc', '-b', 'packages/core', 'packages/cli'], {
        cwd: REPO_ROOT,
        stdio: 'inherit',
      });
    }
  });

  it('runs `models --json` as a separate process', async () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      XDG_CACHE_HOME: emptyCache,
      GRADCAM_WEIGHTS_BASE_URL: NO_DOWNLOADS,
    };
    delete env.GRADCAM_WEIGHTS_DIR;
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [bin, 'models', '--json'],
      { cwd: REPO_ROOT, env, timeout: 60_000 },
    );
    expect(JSON.parse(stdout)).toEqual(MODELS_EXPECTED.map((m) => ({ ...m, cached: false })));
    expect(stderr).toBe('');
  });
});

describe('bad usage exits with 2 and prints nothing on stdout', () => {
  // All of these are rejected before any weights are needed (downloads are impossible here, and
  // there are no weights: reaching the network would give exit code 1, not 2).
  const cases: [string, string[], RegExp][] = [
    ['unknown model id', ['classify', BOTH, '--model', 'nope'], /'nope' is invalid.*mobilenet_v2/],
    ['missing --model (classify)', ['classify', BOTH], /required option '-m, --model <id>'/],
    ['missing --model (explain)', ['explain', BOTH], /required option '-m, --model <id>'/],
    ['--top 0', ['classify', BOTH, '-m', 'mobilenet_v2', '--top', '0'], /--top.*'0' is invalid/],
    ['--top 1.5', ['classify', BOTH, '-m', 'mobilenet_v2', '--top', '1.5'], /--top.*invalid/],
    [
      'unknown colormap',
      ['explain', BOTH, '-m', 'mobilenet_v2', '--colormap', 'nope'],
      /'nope' is invalid.*viridis/,
    ],
    [
      '--alpha 2',
      ['explain', BOTH, '-m', 'mobilenet_v2', '--alpha', '2'],
      /--alpha.*'2' is invalid/,
    ],
    ['--alpha -0.1', ['explain', BOTH, '-m', 'mobilenet_v2', '--alpha=-0.1'], /--alpha.*invalid/],
    [
      'unknown method',
      ['explain', BOTH, '-m', 'mobilenet_v2', '--method', 'nope'],
      /'nope' is invalid.*gradcam/,
    ],
    [
      'unknown class label',
      ['explain', BOTH, '-m', 'mobilenet_v2', '--class', 'no such animal'],
      /No ImageNet class 'no such animal'/,
    ],
    [
      'class index out of range',
      ['explain', BOTH, '-m', 'mobilenet_v2', '--class', '1000'],
      /1000/,
    ],
    [
      'ambiguous class label',
      ['explain', BOTH, '-m', 'mobilenet_v2', '--class', 'crane'],
      /'crane' is ambiguous: 134 'crane'; 517 'crane'/,
    ],
    ['empty class', ['explain', BOTH, '-m', 'mobilenet_v2', '--class', ''], /Empty ImageNet class/],
    // Number('') is 0: a blank value must be rejected, not read as 0.
    ['blank --alpha', ['explain', BOTH, '-m', 'mobilenet_v2', '--alpha', ''], /--alpha.*invalid/],
    [
      'blank --max-channels',
      ['explain', BOTH, '-m', 'mobilenet_v2', '--max-channels', ' '],
      /--max-channels.*invalid/,
    ],
    ['unknown command', ['frobnicate'], /unknown command 'frobnicate'/],
  ];
  for (const [what, args, message] of cases) {
    it(`${what}`, async () => {
      const r = await cli([...args, '--json']);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/error/);
      expect(r.stderr).toMatch(message);
    });
  }
});

describe('weights problems exit with 1 and a clear message', () => {
  it('a missing weights file with downloads impossible tells the user what to do, and caches nothing', async () => {
    const cache = await mkdtemp(join(tmp, 'cache-'));
    const r = await cli(['classify', BOTH, '--model', 'resnet50', '--json'], {
      XDG_CACHE_HOME: cache,
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('resnet50_weights_tf_dim_ordering_tf_kernels.h5');
    expect(r.stderr).toContain(NO_DOWNLOADS);
    expect(r.stderr).toMatch(/appears to be offline/);
    expect(r.stderr).toContain('GRADCAM_WEIGHTS_DIR');
    expect(r.stderr).toContain('--weights');
    expect(await filesUnder(cache)).toEqual([]);
  });

  it('a --weights file that is not HDF5 is named in the error; nothing is written', async () => {
    const bad = join(tmp, 'random.h5');
    await writeFile(bad, randomBytes(4096));
    const out = join(tmp, 'bad-weights-out');
    const r = await cli([
      'explain',
      BOTH,
      '-m',
      'mobilenet_v2',
      '--weights',
      bad,
      '--out',
      out,
      '--json',
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: .*random\.h5.*HDF5/m);
    expect(existsSync(out)).toBe(false);
  });

  it('a --weights file that does not exist is named in the error', async () => {
    const missing = join(tmp, 'no-such-weights.h5');
    const r = await cli(['classify', BOTH, '-m', 'mobilenet_v2', '--weights', missing, '--json']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`error: Weights file not found: ${missing}`);
  });
});

// ---------------------------------------------------------------------------------------------
// Real MobileNetV2 weights

const real = findRealWeights(MOBILENET_FILE);
const haveImages = existsSync(BOTH) && existsSync(CAT) && existsSync(KITE);
const skipReal = !real.path || !haveImages;
if (skipReal) {
  console.warn(
    `Skipping CLI tests with real MobileNetV2 weights: ${real.why || `no test photos in ${IMAGES}`}`,
  );
}
const weightsDir = real.path ? dirname(real.path) : '';

interface Reference {
  images: Record<
    string,
    {
      top5: { index: number; label: string; probability: number }[];
      gradcam?: Record<string, number[][]>;
      counterfactual?: Record<string, number[][]>;
      methods?: Record<string, Record<string, number[][]>>;
    }
  >;
}
const referencePath = join(SHARED_DIR, 'reference', 'mobilenet_v2.json');
// both.png has the same pixels as reference/both_224.png, so the reference maps apply to it.
const reference: Reference | null = existsSync(referencePath)
  ? (JSON.parse(readFileSync(referencePath, 'utf8')) as Reference)
  : null;
if (!skipReal && !reference) {
  console.warn(`CLI tests: no ${referencePath}; maps are not compared with the reference`);
}

interface Prediction {
  index: number;
  label: string;
  probability: number;
}
interface ExplainEntry {
  image: string;
  model: string;
  method: string;
  layer: string;
  counterfactual: boolean;
  target: Prediction;
  map: { width: number; height: number; values: number[][] };
  output: string;
  metrics?: {
    steps: number;
    deletion: { auc: number };
    insertion: { auc: number };
  };
}
const EXPLAIN_KEYS = [
  'counterfactual',
  'image',
  'layer',
  'map',
  'method',
  'model',
  'output',
  'target',
];

/** Runs explain with --json into a fresh folder; expects success and one complete entry. */
async function explainOne(
  image: string,
  extra: string[] = [],
): Promise<{ entry: ExplainEntry; out: string; stderr: string }> {
  const out = await mkdtemp(join(tmp, 'out-'));
  const r = await cli(['explain', image, '-m', 'mobilenet_v2', '--out', out, '--json', ...extra], {
    GRADCAM_WEIGHTS_DIR: weightsDir,
  });
  expect(r.stderr).not.toMatch(/error/);
  expect(r.code).toBe(0);
  const entries = JSON.parse(r.stdout) as ExplainEntry[];
  expect(entries).toHaveLength(1);
  const entry = entries[0];
  expect(entry.image).toBe(image);
  expect(entry.model).toBe('mobilenet_v2');
  expect(await readdir(out)).toEqual([entry.output.slice(out.length + 1)]);
  return { entry, out, stderr: r.stderr };
}

/** Checks the map contract: `height` rows of `width` numbers in [0,1], max exactly 1. */
function checkMap(entry: ExplainEntry, size: number): void {
  const { width, height, values } = entry.map;
  expect([width, height]).toEqual([size, size]);
  expect(values).toHaveLength(size);
  for (const row of values) {
    expect(row).toHaveLength(size);
    for (const v of row) {
      expect(typeof v).toBe('number');
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }
  }
  expect(Math.max(...values.flat())).toBe(1);
}

function rowSum(values: number[][], r: number): number {
  return values[r].reduce((a, b) => a + b, 0);
}

let defaultRun: Promise<{ entry: ExplainEntry; out: string; stderr: string }> | undefined;
/** `explain both.png` with every default (shared by the tests that compare against it). */
const explainBothDefault = () => (defaultRun ??= explainOne(BOTH));

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
    const notes = join(tmp, 'notes-classify.jpg');
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

describe.skipIf(skipReal)('explain with real MobileNetV2 weights', () => {
  it('--json: Grad-CAM of the top class at out_relu, a 7x7 map, an overlay PNG at the image size', async () => {
    const { entry, out, stderr } = await explainBothDefault();
    expect(Object.keys(entry).sort()).toEqual(EXPLAIN_KEYS);
    expect(entry.method).toBe('gradcam');
    expect(entry.layer).toBe('out_relu');
    expect(entry.counterfactual).toBe(false);
    expect(Object.keys(entry.target).sort()).toEqual(['index', 'label', 'probability']);
    expect(entry.target.index).toBe(243);
    expect(entry.target.label).toBe('bull mastiff');
    expect(Math.abs(entry.target.probability - 0.5699)).toBeLessThan(1e-3);
    checkMap(entry, 7);
    // Top row first: the dog is in the upper half of the photo.
    expect(rowSum(entry.map.values, 0)).toBeGreaterThan(rowSum(entry.map.values, 6));
    if (reference) {
      expect(maxAbsDiff(entry.map.values, reference.images.both.gradcam!['243'])).toBeLessThan(
        1e-3,
      );
    }
    expect(entry.output).toBe(join(out, 'both_mobilenet_v2_gradcam_243.png'));
    const png = await decodeImageFile(entry.output);
    expect([png.width, png.height]).toEqual([224, 224]);
    expect(stderr).toContain('Loading MobileNetV2 weights');
  });

  it('--class "tiger cat" and --class 282 both explain class 282', async () => {
    const byLabel = await explainOne(BOTH, ['--class', 'tiger cat']);
    const byIndex = await explainOne(BOTH, ['--class', '282']);
    for (const { entry } of [byLabel, byIndex]) {
      expect(entry.target.index).toBe(282);
      expect(entry.target.label).toBe('tiger cat');
      expect(Math.abs(entry.target.probability - 0.0402)).toBeLessThan(1e-3);
      expect(entry.output).toMatch(/both_mobilenet_v2_gradcam_282\.png$/);
      checkMap(entry, 7);
    }
    expect(byLabel.entry.map).toEqual(byIndex.entry.map);
    // The cat is in the lower half of the photo.
    const v = byIndex.entry.map.values;
    expect(rowSum(v, 6)).toBeGreaterThan(rowSum(v, 0));
    if (reference) {
      expect(maxAbsDiff(v, reference.images.both.gradcam!['282'])).toBeLessThan(1e-3);
    }
    const plain = (await explainBothDefault()).entry;
    expect(maxAbsDiff(v, plain.map.values)).toBeGreaterThan(0.3);
  });

  it('--counterfactual sets counterfactual and gives a different map', async () => {
    const { entry } = await explainOne(BOTH, ['--counterfactual']);
    expect(entry.counterfactual).toBe(true);
    expect(entry.target.index).toBe(243);
    expect(entry.output).toMatch(/both_mobilenet_v2_gradcam_counterfactual_243\.png$/);
    checkMap(entry, 7);
    const plain = (await explainBothDefault()).entry;
    expect(maxAbsDiff(entry.map.values, plain.map.values)).toBeGreaterThan(0.3);
    if (reference) {
      const ref = reference.images.both.counterfactual!['243'];
      expect(maxAbsDiff(entry.map.values, ref)).toBeLessThan(1e-3);
    }
  });

  it('two inputs with the same file name get distinct output files', async () => {
    const out = await mkdtemp(join(tmp, 'out-'));
    const r = await cli(['explain', BOTH, BOTH, '-m', 'mobilenet_v2', '--out', out, '--json'], {
      GRADCAM_WEIGHTS_DIR: weightsDir,
    });
    expect(r.code).toBe(0);
    const entries = JSON.parse(r.stdout) as ExplainEntry[];
    expect(entries[0].output).not.toBe(entries[1].output);
    expect((await readdir(out)).sort()).toEqual([
      'both_mobilenet_v2_gradcam_243.png',
      'both_mobilenet_v2_gradcam_243_2.png',
    ]);
  });

  it('--layer block_13_expand_relu gives a 14x14 map', async () => {
    const { entry } = await explainOne(BOTH, ['--layer', 'block_13_expand_relu']);
    expect(entry.layer).toBe('block_13_expand_relu');
    checkMap(entry, 14);
    const png = await decodeImageFile(entry.output);
    expect([png.width, png.height]).toEqual([224, 224]);
  });

  it('--method layercam is used and matches the reference', async () => {
    const { entry } = await explainOne(BOTH, ['--method', 'layercam']);
    expect(entry.method).toBe('layercam');
    expect(entry.output).toMatch(/both_mobilenet_v2_layercam_243\.png$/);
    checkMap(entry, 7);
    if (reference) {
      const ref = reference.images.both.methods!['243'].layercam;
      expect(maxAbsDiff(entry.map.values, ref)).toBeLessThan(1e-3);
    }
  });

  it('--colormap viridis colours the overlay differently from the default jet', async () => {
    const jet = await decodeImageFile((await explainBothDefault()).entry.output);
    const { entry } = await explainOne(BOTH, ['--colormap', 'viridis']);
    const viridis = await decodeImageFile(entry.output);
    expect([viridis.width, viridis.height]).toEqual([jet.width, jet.height]);
    let differing = 0;
    for (let i = 0; i < jet.data.length; i += 4) {
      if (jet.data[i] !== viridis.data[i] || jet.data[i + 1] !== viridis.data[i + 1]) differing++;
    }
    expect(differing).toBeGreaterThan((jet.width * jet.height) / 2);
  });

  it('--alpha 0 writes the photo itself (text output without --json)', async () => {
    const out = await mkdtemp(join(tmp, 'alpha0-'));
    const r = await cli(['explain', BOTH, '-m', 'mobilenet_v2', '--alpha', '0', '--out', out], {
      GRADCAM_WEIGHTS_DIR: weightsDir,
    });
    expect(r.code).toBe(0);
    const output = join(out, 'both_mobilenet_v2_gradcam_243.png');
    expect(r.stdout).toBe(
      `${BOTH}: gradcam for "bull mastiff" (56.99%) at out_relu -> ${output}\n`,
    );
    const [png, photo] = await Promise.all([decodeImageFile(output), decodeImageFile(BOTH)]);
    expect([png.width, png.height]).toEqual([photo.width, photo.height]);
    expect(Buffer.from(png.data).equals(Buffer.from(photo.data))).toBe(true);
  });

  it('--metrics adds deletion and insertion AUCs in [0,1]', async () => {
    const { entry } = await explainOne(BOTH, ['--metrics', '--steps', '4']);
    expect(Object.keys(entry).sort()).toEqual([...EXPLAIN_KEYS, 'metrics'].sort());
    const m = entry.metrics!;
    expect(m.steps).toBe(4);
    for (const auc of [m.deletion.auc, m.insertion.auc]) {
      expect(typeof auc).toBe('number');
      expect(auc).toBeGreaterThanOrEqual(0);
      expect(auc).toBeLessThanOrEqual(1);
    }
    // A faithful map: deleting its hot pixels first hurts the class more than inserting them helps.
    expect(m.deletion.auc).toBeLessThan(m.insertion.auc);
  });

  it('an invalid --layer is bad usage (exit 2), and nothing is written', async () => {
    for (const layer of ['predictions', 'no_such_layer']) {
      const out = join(tmp, `bad-layer-${layer}`);
      const r = await cli(
        ['explain', BOTH, '-m', 'mobilenet_v2', '--layer', layer, '--out', out, '--json'],
        {
          GRADCAM_WEIGHTS_DIR: weightsDir,
        },
      );
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(new RegExp(`^error: --layer: .*"${layer}"`, 'm'));
      expect(existsSync(out)).toBe(false);
    }
  });

  it('failed inputs become {image, error} entries (exit 1); the good ones are still explained', async () => {
    const notes = join(tmp, 'notes.jpg');
    await writeFile(notes, 'meeting notes, not a photo\n');
    const missing = join(tmp, 'no-such-photo.png');
    const out = await mkdtemp(join(tmp, 'mixed-'));
    const r = await cli(
      ['explain', BOTH, notes, missing, KITE, '-m', 'mobilenet_v2', '--out', out, '--json'],
      { GRADCAM_WEIGHTS_DIR: weightsDir },
    );
    expect(r.code).toBe(1);
    const entries = JSON.parse(r.stdout) as (ExplainEntry | { image: string; error: string })[];
    expect(entries.map((e) => e.image)).toEqual([BOTH, notes, missing, KITE]);
    expect(entries[1]).toEqual({
      image: notes,
      error: `Cannot decode image "${notes}": not an image, or not in a supported format (JPEG, PNG, BMP, WebP, GIF)`,
    });
    expect(entries[2]).toEqual({
      image: missing,
      error: expect.stringMatching(
        /^Cannot decode image ".*no-such-photo\.png": cannot read the file \(ENOENT/,
      ),
    });
    expect(r.stderr).toContain(`error: ${notes}: `);
    expect(r.stderr).toContain(`error: ${missing}: `);
    expect(r.stderr).not.toContain(`error: ${BOTH}`);
    expect(r.stderr).not.toContain(`error: ${KITE}`);

    const good = [entries[0], entries[3]] as ExplainEntry[];
    for (const e of good) {
      expect(Object.keys(e).sort()).toEqual(EXPLAIN_KEYS);
      checkMap(e, 7);
    }
    expect(good[0].target.index).toBe(243);
    expect(good[0].output).toBe(join(out, 'both_mobilenet_v2_gradcam_243.png'));
    expect(good[1].output).toMatch(/kite_and_cold_mobilenet_v2_gradcam_\d+\.png$/);
    expect((await readdir(out)).sort()).toEqual(
      good.map((e) => e.output.slice(out.length + 1)).sort(),
    );
    const [bothPng, kitePng] = await Promise.all(good.map((e) => decodeImageFile(e.output)));
    expect([bothPng.width, bothPng.height]).toEqual([224, 224]);
    expect([kitePng.width, kitePng.height]).toEqual([1352, 900]);
  });
});
