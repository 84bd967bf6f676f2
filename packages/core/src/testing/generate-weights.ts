// Node-only test helper: writes Keras 2 HDF5 weight files (layout of Keras'
// `legacy_h5_format.save_weights_to_hdf5_group`) with seeded random values for a ModelSpec, optionally
// with the legacy layer names of the official keras-applications files, to test loading without the
// real (large) downloads. Files are cached under os.tmpdir() and shared by test files and workers.
import { closeSync, existsSync, mkdirSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import h5wasm from 'h5wasm/node';
import type * as tfl from '@tensorflow/tfjs-layers';
import { buildModel } from '../models/build.js';
import type { FamilyName, ModelSpec } from '../models/types.js';
import { weightKey } from '../weights/keras-h5.js';

/** Bump when the file layout or values change, so cached files are regenerated. */
const GENERATOR_VERSION = 1;

export const GENERATED_DIR = join(tmpdir(), 'gradcam-explorer-test-weights');

export interface GenerateOptions {
  /** PRNG seed for the values (default 1). */
  seed?: number;
  /**
   * Use the layer names of the official keras-applications files where they differ from current Keras
   * (see LEGACY_NAMES): `input_1`, MobileNetV2's `Conv1_pad`/`Logits`, the ResNets' `probs`, Xception's
   * residual layers numbered from 1, the VGGs' Keras 1 weight names (`block1_conv1_W_1:0`).
   */
  legacy?: boolean;
  /** Further renames, model layer name -> file layer name. */
  renames?: Record<string, string>;
  /** Store one weight with another shape: `layer/weightKey` (model names) -> shape, e.g. a corrupt file. */
  shapeOverrides?: Record<string, number[]>;
  /** String attributes as fixed-length (h5py's default for Keras 2) or variable-length strings. */
  strings?: 'fixed' | 'vlen';
  /** Overwrite the first value of some weights (`layer/weightKey`, model names), e.g. with NaN. */
  firstValue?: Record<string, number>;
}

export interface FileLayerLayout {
  /** Name in the file. */
  name: string;
  /** Corresponding model layer, or null for an inserted legacy layer (e.g. `Conv1_pad`). */
  modelLayer: string | null;
  weights: Array<{ name: string; key: string; shape: number[] }>;
}

interface Legacy {
  renames: (name: string) => string | undefined;
  /** Layers without weights that the old file has and current Keras does not: [after, name]. */
  insert?: Array<[string, string]>;
  /** Keras 1 weight names, e.g. `block1_conv1_W_1:0`. */
  keras1WeightNames?: boolean;
}

/** `conv2d` -> `conv2d_1`, `conv2d_1` -> `conv2d_2`: Keras 2.0-era auto names started at 1. */
const shiftAutoName = (bases: string[]) => (name: string) => {
  const m = /^(.*?)(?:_(\d+))?$/.exec(name)!;
  return bases.includes(m[1]!) ? `${m[1]}_${Number(m[2] ?? 0) + 1}` : undefined;
};

/**
 * Names of the official keras-applications files that differ from a fresh Keras 3 session, by family:
 * every file of a family was written by the same Keras code (VGG16/19: Keras 1, fchollet's
 * deep-learning-models v0.1; ResNet50/101/152: keras-applications' resnet_common.py, top named `probs`).
 */
export const LEGACY_NAMES: Record<FamilyName, Legacy> = {
  vgg: { renames: (n) => ({ input_layer: 'input_1' })[n], keras1WeightNames: true },
  resnet: { renames: (n) => ({ input_layer: 'input_1', predictions: 'probs' })[n] },
  mobilenet_v2: {
    renames: (n) =>
      ({
        input_layer: 'input_1',
        global_average_pooling2d: 'global_average_pooling2d_1',
        predictions: 'Logits',
      })[n],
    insert: [['input_layer', 'Conv1_pad']],
  },
  xception: {
    renames: (n) =>
      n === 'input_layer' ? 'input_1' : shiftAutoName(['conv2d', 'batch_normalization', 'add'])(n),
  },
};

/** The file's layers for `model` under `options` (all layers, with and without weights, in model order). */
export function fileLayout(
  spec: ModelSpec,
  model: tfl.LayersModel,
  options: GenerateOptions = {},
): FileLayerLayout[] {
  const legacy = options.legacy ? LEGACY_NAMES[spec.family.name] : undefined;
  const out: FileLayerLayout[] = [];
  for (const layer of model.layers) {
    const name = options.renames?.[layer.name] ?? legacy?.renames(layer.name) ?? layer.name;
    const weights = layer.weights.map((v) => {
      const key = weightKey(v.originalName);
      const shape = options.shapeOverrides?.[`${layer.name}/${key}`] ?? (v.shape as number[]);
      const short = key === 'kernel' ? 'W' : key === 'bias' ? 'b' : key;
      return {
        name: legacy?.keras1WeightNames ? `${name}_${short}_1:0` : `${name}/${key}:0`,
        key,
        shape,
      };
    });
    out.push({ name, modelLayer: layer.name, weights });
    for (const [after, inserted] of legacy?.insert ?? []) {
      if (after === layer.name) out.push({ name: inserted, modelLayer: null, weights: [] });
    }
  }
  return out;
}

/** FNV-1a, to derive one PRNG stream per dataset. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * The values the generator stores in dataset `<fileLayer>/<weightName>`: uniform, seeded by
 * (seed, file layer, weight name), scaled by kind so that random networks stay finite.
 */
export function generatedValues(
  seed: number,
  fileLayer: string,
  weightName: string,
  shape: number[],
): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  const key = weightKey(weightName).replace(/^.*_([Wb])_1$/, '$1');
  let lo = -0.1;
  let hi = 0.1;
  if (key === 'gamma' || key === 'moving_variance') [lo, hi] = [0.5, 1.5];
  else if (/kernel$|^W$/.test(key)) {
    // +-sqrt(3 / fan_in): unit variance per output for unit-variance inputs.
    const fanIn = key === 'depthwise_kernel' ? shape[0]! * shape[1]! : n / shape[shape.length - 1]!;
    hi = Math.sqrt(3 / Math.max(1, fanIn));
    lo = -hi;
  }
  // mulberry32 (public-domain PRNG by Tommy Ettinger).
  let a = hash32(`${seed}|${fileLayer}|${weightName}`);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    out[i] = lo + (hi - lo) * (((t ^ (t >>> 14)) >>> 0) / 4294967296);
  }
  return out;
}

function cachePath(spec: ModelSpec, options: GenerateOptions): string {
  // Same file for equal options whatever their key order; 'fixed' strings are the default.
  const normal = Object.entries({
    ...options,
    strings: options.strings === 'vlen' ? 'vlen' : undefined,
  })
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => a.localeCompare(b));
  const key = hash32(JSON.stringify([GENERATOR_VERSION, spec.id, normal])).toString(16);
  return join(GENERATED_DIR, `${spec.id}-${options.legacy ? 'legacy-' : ''}${key}.h5`);
}

async function writeFile(
  path: string,
  spec: ModelSpec,
  layout: FileLayerLayout[],
  options: GenerateOptions,
) {
  const module = await h5wasm.ready;
  // Throw on HDF5 errors: h5wasm's default handler only prints them (and e.g. skips a dataset).
  module.activate_throwing_error_handler();
  const seed = options.seed ?? 1;
  // HDF5 cannot write an empty variable-length string array: those stay fixed-length.
  const str = (values: string[]) =>
    options.strings === 'vlen' && values.length > 0
      ? 'S'
      : `S${Math.max(1, ...values.map((v) => v.length))}`;
  const file = new h5wasm.File(path, 'w');
  try {
    const names = layout.map((l) => l.name);
    file.create_attribute('layer_names', names, [names.length], str(names));
    file.create_attribute('backend', 'tensorflow');
    file.create_attribute('keras_version', '2.2.4');
    for (const layer of layout) {
      const group = file.create_group(layer.name);
      const wn = layer.weights.map((w) => w.name);
      group.create_attribute('weight_names', wn, [wn.length], str(wn));
      for (const w of layer.weights) {
        // `<layer>/<weight name>`: a weight name with '/' nests groups, as h5py does.
        const parts = w.name.split('/');
        let g = group;
        for (const part of parts.slice(0, -1))
          g = g.keys().includes(part) ? (g.get(part) as typeof g) : g.create_group(part);
        const data = generatedValues(seed, layer.name, w.name, w.shape);
        const first = options.firstValue?.[`${layer.modelLayer}/${w.key}`];
        if (first !== undefined) data[0] = first;
        g.create_dataset({ name: parts.at(-1)!, data, shape: w.shape, dtype: '<f' });
      }
    }
  } finally {
    file.close();
    module.deactivate_throwing_error_handler();
  }
  if (!existsSync(path))
    throw new Error(`generate-weights: h5wasm did not write ${path} for ${spec.id}`);
}

/**
 * Path of a generated weights file for `spec` (generated on first use, then cached across test files and
 * runs). Pass an already built `model` to avoid building one here (VGG16 takes seconds and 528 MB).
 */
export async function generateWeightsFile(
  spec: ModelSpec,
  options: GenerateOptions = {},
  model?: tfl.LayersModel,
): Promise<string> {
  const path = cachePath(spec, options);
  if (existsSync(path)) return path;
  mkdirSync(GENERATED_DIR, { recursive: true });
  // One writer per file across parallel test workers; a stale lock (crashed writer) is taken over.
  const lock = `${path}.lock`;
  for (;;) {
    try {
      closeSync(openSync(lock, 'wx'));
      break;
    } catch {
      if (existsSync(path)) return path;
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 10 * 60_000)
        rmSync(lock, { force: true });
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    if (existsSync(path)) return path;
    const own = model ?? buildModel(spec);
    try {
      const tmp = `${path}.${process.pid}.tmp`;
      try {
        await writeFile(tmp, spec, fileLayout(spec, own, options), options);
        renameSync(tmp, path);
      } finally {
        rmSync(tmp, { force: true });
      }
    } finally {
      if (!model) own.dispose();
    }
    return path;
  } finally {
    rmSync(lock, { force: true });
  }
}
