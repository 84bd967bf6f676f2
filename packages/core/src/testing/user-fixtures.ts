// Test fixtures for user models: a TensorFlow.js layers model saved in each format users have.
// - TensorFlow.js: `model.json` + one shard, as tfjs-layers' `model.save` writes them;
// - Keras 2 full-model `.h5` (legacy_h5_format.save_model_to_hdf5): `model_config`, and
//   `model_weights/<layer>` groups with `weight_names` "<inner layer>/<weight>:0" (a nested model's
//   trainable weights first);
// - Keras 3: the same `.h5` with Keras 3 config keys (batch_shape, dtype policies, inbound nodes as
//   args/kwargs) and weight paths as names, and the `.keras` zip (saving_lib: config.json,
//   metadata.json, model.weights.h5 with `layers/<class>_<n>/vars/<i>`).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import h5wasm from 'h5wasm/node';
import { zipSync, strToU8 } from 'fflate';
import type { UserModelFile } from '../custom/sources.js';
import { toSnakeCase } from '../custom/keras-config.js';

type Json = Record<string, unknown>;

/** Fills every weight with seeded values (positive variances), so outputs are deterministic. */
export function randomizeWeights(model: tfl.LayersModel, seed = 1): void {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (const w of model.weights) {
    const n = w.shape.reduce((a: number, b) => a * (b ?? 1), 1);
    const variance = /variance$/.test(w.originalName);
    const data = Float32Array.from({ length: n }, () =>
      variance ? 0.5 + next() : next() * 0.6 - 0.3,
    );
    const t = tf.tensor(data, w.shape as number[]);
    w.write(t);
    t.dispose();
  }
}

/** `model.json` and its shard, as tfjs-layers saves them. */
export async function tfjsFiles(model: tfl.LayersModel, dir = 'm'): Promise<UserModelFile[]> {
  let files: UserModelFile[] = [];
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      const json = {
        format: 'layers-model',
        generatedBy: 'TensorFlow.js tfjs-layers (test fixture)',
        convertedBy: null,
        modelTopology: a.modelTopology,
        weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: a.weightSpecs }],
      };
      const data = a.weightData as ArrayBuffer;
      files = [
        { name: `${dir}/model.json`, bytes: strToU8(JSON.stringify(json)) },
        { name: `${dir}/group1-shard1of1.bin`, bytes: new Uint8Array(data.slice(0)) },
      ];
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return files;
}

/** The Keras 2 config of a tfjs model (tfjs names functional models "Model"). */
export function keras2Config(model: tfl.LayersModel): Json {
  const rename = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(rename);
    if (typeof v !== 'object' || v === null) return v;
    const o = Object.fromEntries(Object.entries(v).map(([k, x]) => [k, rename(x)]));
    if (o['class_name'] === 'Model') o['class_name'] = 'Functional';
    return o;
  };
  return rename(model.toJSON(null, false)) as Json;
}

const policy = {
  module: 'keras',
  class_name: 'DTypePolicy',
  config: { name: 'float32' },
  registered_name: null,
};
const tensor = (name: string) => ({
  class_name: '__keras_tensor__',
  config: { shape: null, dtype: 'float32', keras_history: [name, 0, 0] },
});

/** Keras 2 config -> Keras 3 (`keras/src/models/functional.py` serialisation). */
export function keras3Config(layer: Json): Json {
  const config = { ...(layer['config'] as Json) };
  const className = String(layer['class_name']);
  if (className === 'InputLayer') {
    config['batch_shape'] = config['batch_input_shape'];
    delete config['batch_input_shape'];
  } else {
    config['dtype'] = policy;
    if (Array.isArray(config['layers']))
      config['layers'] = (config['layers'] as Json[]).map(keras3Config);
    for (const k of ['input_layers', 'output_layers']) {
      const refs = config[k] as unknown[][] | undefined;
      if (refs?.length === 1) config[k] = refs[0]; // Keras 3 writes one input as a single ref
    }
    if (className === 'LeakyReLU') {
      config['negative_slope'] = config['alpha'];
      delete config['alpha'];
    }
  }
  const out: Json = {
    module: 'keras.layers',
    class_name: className,
    config,
    registered_name: null,
  };
  if (Array.isArray(layer['inbound_nodes'])) {
    out['inbound_nodes'] = (layer['inbound_nodes'] as unknown[][][]).map((node) => {
      const ts = node.map((ref) => tensor(String(ref[0])));
      return { args: ts.length === 1 ? ts : [ts], kwargs: {} };
    });
  }
  if (className === 'Sequential' || className === 'Functional') {
    out['module'] = 'keras';
    out['registered_name'] = className;
  }
  return out;
}

/** Inner layers of a (possibly nested) tfjs model, depth first, as Keras lists them. */
function innerLayers(layer: tfl.layers.Layer): tfl.layers.Layer[] {
  const sub = (layer as unknown as { layers?: tfl.layers.Layer[] }).layers;
  return sub ? sub.flatMap(innerLayers) : [layer];
}

const values = (v: tfl.LayerVariable) => Float32Array.from(v.read().dataSync());
const keyOf = (v: tfl.LayerVariable) => v.originalName.slice(v.originalName.lastIndexOf('/') + 1);

/** Writes an HDF5 file with h5wasm (to a temporary path) and returns its bytes. */
async function writeH5(fill: (f: InstanceType<typeof h5wasm.File>) => void): Promise<Uint8Array> {
  const module = await h5wasm.ready;
  module.activate_throwing_error_handler();
  const dir = mkdtempSync(join(tmpdir(), 'gradcam-fixture-'));
  const path = join(dir, 'f.h5');
  const file = new h5wasm.File(path, 'w');
  try {
    fill(file);
  } finally {
    file.close();
    module.deactivate_throwing_error_handler();
  }
  try {
    return new Uint8Array(readFileSync(path));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

type Group = InstanceType<typeof h5wasm.Group>;
const strAttr = (g: Group, name: string, list: string[]) => {
  if (list.length === 0) g.create_attribute(name, new Float64Array(0), [0], '<d');
  else g.create_attribute(name, list, [list.length], `S${Math.max(...list.map((s) => s.length))}`);
};
function dataset(g: Group, path: string, data: Float32Array, shape: number[]) {
  const parts = path.split('/');
  let at = g;
  for (const p of parts.slice(0, -1))
    at = at.keys().includes(p) ? (at.get(p) as Group) : at.create_group(p);
  at.create_dataset({ name: parts.at(-1)!, data, shape, dtype: '<f' });
}

/** Extra weights for layers of an edited config: layer name -> [weight name, values, shape]. */
export type ExtraWeights = Record<string, [string, Float32Array, number[]][]>;

export interface H5Options {
  /** Keras 3's legacy `.h5` (config keys and weight names of Keras 3). */
  keras3?: boolean;
  /** Changes the Keras 2 config (e.g. to add layers tfjs-layers lacks). */
  edit?: (config: Json) => void;
  /** Weights of added layers. */
  extra?: ExtraWeights;
  /** What `model.save_weights('w.h5')` writes: the weights at the root, no config. */
  weightsOnly?: boolean;
}

/** A full-model `.h5` as Keras 2 (or Keras 3's legacy format) saves it; see H5Options. */
export async function kerasH5(
  model: tfl.LayersModel,
  options: H5Options = {},
): Promise<Uint8Array> {
  const { keras3 = false, edit, extra = {}, weightsOnly = false } = options;
  const k2 = keras2Config(model);
  edit?.(k2);
  const config = keras3 ? keras3Config(k2) : k2;
  return writeH5((file) => {
    if (!weightsOnly) file.create_attribute('model_config', JSON.stringify(config));
    file.create_attribute('keras_version', keras3 ? '3.10.0' : '2.9.0');
    file.create_attribute('backend', 'tensorflow');
    const root = weightsOnly ? file : file.create_group('model_weights');
    strAttr(root, 'layer_names', [...model.layers.map((l) => l.name), ...Object.keys(extra)]);
    for (const layer of model.layers) {
      const g = root.create_group(layer.name);
      const inner = innerLayers(layer);
      const vars = inner.flatMap((l) => l.weights.map((v) => ({ l, v })));
      const ordered = [...vars.filter((x) => x.v.trainable), ...vars.filter((x) => !x.v.trainable)];
      const names = ordered.map(({ l, v }) =>
        keras3 ? `${model.name}/${l.name}/${keyOf(v)}` : `${l.name}/${keyOf(v)}:0`,
      );
      strAttr(g, 'weight_names', names);
      ordered.forEach(({ v }, i) => dataset(g, names[i]!, values(v), v.shape as number[]));
    }
    for (const [layer, weights] of Object.entries(extra)) {
      const g = root.create_group(layer);
      strAttr(
        g,
        'weight_names',
        weights.map((w) => w[0]),
      );
      for (const [name, data, shape] of weights) dataset(g, name, data, shape);
    }
  });
}

/** A Keras 3 `.keras` zip. `drop` leaves an entry out (for bad-file tests). */
export async function kerasZip(model: tfl.LayersModel, drop?: string): Promise<Uint8Array> {
  const config = keras3Config(keras2Config(model));
  const weights = await writeH5((file) => {
    const walk = (container: tfl.layers.Layer, g: Group) => {
      const sub = (container as unknown as { layers: tfl.layers.Layer[] }).layers;
      const isSequential = container.getClassName() === 'Sequential';
      const counts = new Map<string, number>();
      const layersGroup = g.create_group('layers');
      for (const l of sub) {
        if (isSequential && l.getClassName() === 'InputLayer') continue;
        const cls = l.getClassName() === 'Model' ? 'Functional' : l.getClassName();
        const snake = toSnakeCase(cls);
        const n = counts.get(snake);
        counts.set(snake, n === undefined ? 0 : n + 1);
        const lg = layersGroup.create_group(n === undefined ? snake : `${snake}_${n + 1}`);
        if ((l as unknown as { layers?: unknown }).layers) walk(l, lg);
        else {
          const vars = lg.create_group('vars');
          l.weights.forEach((v, i) =>
            vars.create_dataset({
              name: String(i),
              data: values(v),
              shape: v.shape as number[],
              dtype: '<f',
            }),
          );
        }
      }
      g.create_group('vars');
    };
    walk(model, file);
  });
  const entries: Record<string, Uint8Array> = {
    'metadata.json': strToU8(
      JSON.stringify({ keras_version: '3.10.0', date_saved: '2026-01-01@00:00:00' }),
    ),
    'config.json': strToU8(JSON.stringify(config)),
    'model.weights.h5': weights,
  };
  if (drop) delete entries[drop];
  return zipSync(entries);
}
