// Reads the HDF5 files of user models with h5wasm (in memory; browsers, workers and Node):
// - full-model `.h5` (Keras 2 `model.save`, and Keras 3's legacy h5 format): root attribute
//   `model_config` (JSON), weights under `model_weights/<layer>/<weight name>` listed by the
//   `layer_names` / `weight_names` attributes (split into `name0`, `name1`... when long);
// - `model.weights.h5` inside a `.keras` zip (Keras 3 `saving_lib`): one `vars` group per layer
//   path, datasets `0`, `1`, ... in the layer's variable order.
import h5wasm from 'h5wasm';
import { describeHdf5Error } from '../weights/keras-h5.js';
import { MAX_COMPRESSION, withH5File, type H5File } from '../weights/h5-memory.js';
import { UserModelError } from './errors.js';

/** One stored weight, values read. */
export interface StoredWeight {
  name: string;
  shape: number[];
  data: Float32Array;
}

export interface FullModelH5 {
  /** The `model_config` JSON, parsed. */
  config: unknown;
  kerasVersion?: string;
  /** Weights by top-level layer name, in `weight_names` order. */
  groups: Map<string, StoredWeight[]>;
}

type H5Group = InstanceType<typeof h5wasm.Group>;
type H5Dataset = InstanceType<typeof h5wasm.Dataset>;

/** Opens `bytes` (copied) as HDF5 and runs `read`; errors name the file and what to do. */
async function withH5<T>(bytes: Uint8Array, fileName: string, read: (f: H5File) => T): Promise<T> {
  try {
    return await withH5File(bytes, read, true);
  } catch (e) {
    if (e instanceof UserModelError) throw e;
    const why = describeHdf5Error(e);
    const fix = /truncated/.test(why) ? ': copy or download it again' : '';
    throw new UserModelError(`"${fileName}" ${why}${fix}`, fileName, { cause: e });
  }
}

function strings(group: H5Group, attr: string): string[] | undefined {
  const read = (name: string): string[] | undefined => {
    if (!(name in group.attrs)) return undefined;
    const v = group.attrs[name]!.value as unknown;
    if (typeof v === 'string') return [v.replace(/\0+$/, '')];
    if (Array.isArray(v)) return v.map((x) => String(x).replace(/\0+$/, ''));
    return []; // an empty list is stored as an empty numeric array
  };
  const whole = read(attr);
  if (whole) return whole;
  // Keras splits long attributes into attr0, attr1, ... (save_attributes_to_hdf5_group).
  const parts: string[] = [];
  for (let i = 0; ; i++) {
    const p = read(`${attr}${i}`);
    if (!p) return i === 0 ? undefined : parts;
    parts.push(...p);
  }
}

function text(group: H5Group, attr: string): string | undefined {
  const v = attr in group.attrs ? (group.attrs[attr]!.value as unknown) : undefined;
  return typeof v === 'string' ? v : undefined;
}

interface Found {
  name: string;
  dataset: H5Dataset;
  where: string;
}

/** Reads datasets after checking that together they fit in the file (no hostile allocation). */
function readAll(found: Found[], fileBytes: number, fileName: string): (StoredWeight | null)[] {
  let declared = 0;
  let compressed = false;
  for (const f of found) {
    const m = f.dataset.metadata;
    declared += (f.dataset.shape ?? []).reduce((a, b) => a * b, 1) * m.size;
    compressed ||= f.dataset.filters.length > 0;
  }
  if (declared > fileBytes * (compressed ? MAX_COMPRESSION : 1)) {
    throw new UserModelError(
      `"${fileName}" is damaged or truncated: its weights declare ${declared} bytes, ` +
        `but the file has ${fileBytes}`,
      fileName,
    );
  }
  return found.map((f) => {
    const m = f.dataset.metadata;
    const shape = f.dataset.shape ?? [];
    // Integer scalars are counters (Normalization `count`, optimizer iterations): not weights.
    if (m.type === 0 && shape.length === 0) return null;
    const value = f.dataset.value as unknown;
    const data = Float32Array.from(value as ArrayLike<number | bigint>, Number);
    const bad = data.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) {
      throw new UserModelError(
        `"${fileName}" is damaged: weight "${f.where}" holds ${data[bad]} (weights must be finite)`,
        fileName,
      );
    }
    return { name: f.name, shape, data };
  });
}

/** A full-model `.h5` (config and weights); a clear message for weights-only files. */
export function readFullModelH5(bytes: Uint8Array, fileName: string): Promise<FullModelH5> {
  return withH5(bytes, fileName, (file) => {
    const configText = text(file, 'model_config');
    if (configText === undefined) {
      const keys = file.keys();
      const weightsOnly =
        'layer_names' in file.attrs || keys.includes('model_weights') || keys.includes('vars');
      throw new UserModelError(
        weightsOnly
          ? `"${fileName}" holds only weights (saved with save_weights), not the model's layers. ` +
              "A full model is needed: save it with model.save('model.keras') or model.save('model.h5')."
          : `"${fileName}" is HDF5 but not a Keras model (no "model_config" attribute)`,
        fileName,
      );
    }
    let config: unknown;
    try {
      config = JSON.parse(configText);
    } catch {
      throw new UserModelError(`"${fileName}" has a damaged model_config (not JSON)`, fileName);
    }
    const root = file.get('model_weights');
    if (!(root instanceof h5wasm.Group)) {
      throw new UserModelError(`"${fileName}" has a model config but no "model_weights"`, fileName);
    }
    const layerNames = strings(root, 'layer_names') ?? root.keys();
    const found: Found[] = [];
    const owners: string[] = [];
    for (const layer of layerNames) {
      const g = root.get(layer);
      if (!(g instanceof h5wasm.Group)) {
        throw new UserModelError(
          `"${fileName}" is damaged: layer "${layer}" has no weights group`,
          fileName,
        );
      }
      for (const name of strings(g, 'weight_names') ?? []) {
        const d = g.get(name);
        if (!(d instanceof h5wasm.Dataset)) {
          throw new UserModelError(
            `"${fileName}" is damaged: weight "${layer}/${name}" is missing`,
            fileName,
          );
        }
        found.push({ name, dataset: d, where: `${layer}/${name}` });
        owners.push(layer);
      }
    }
    const groups = new Map<string, StoredWeight[]>(layerNames.map((l) => [l, []]));
    readAll(found, bytes.byteLength, fileName).forEach((w, i) => {
      if (w) groups.get(owners[i]!)!.push(w);
    });
    const kerasVersion = text(file, 'keras_version') ?? text(root, 'keras_version');
    return { config, groups, ...(kerasVersion && { kerasVersion }) };
  });
}

/** The variables of a Keras 3 `model.weights.h5`, by layer path (e.g. `layers/conv2d`). */
export function readKeras3Weights(
  bytes: Uint8Array,
  fileName: string,
): Promise<Map<string, StoredWeight[]>> {
  return withH5(bytes, fileName, (file) => {
    const found: Found[] = [];
    const paths: string[] = [];
    const walk = (g: H5Group, path: string) => {
      for (const key of g.keys()) {
        const child = g.get(key);
        if (!(child instanceof h5wasm.Group)) continue;
        const p = path ? `${path}/${key}` : key;
        if (key === 'vars') {
          const ids = child.keys().filter((k) => /^\d+$/.test(k));
          ids.sort((a, b) => Number(a) - Number(b));
          for (const id of ids) {
            const d = child.get(id);
            if (d instanceof h5wasm.Dataset) {
              found.push({ name: `${path}/vars/${id}`, dataset: d, where: `${path}/vars/${id}` });
              paths.push(path);
            }
          }
        } else if (key !== 'optimizer') walk(child, p);
      }
    };
    walk(file, '');
    const out = new Map<string, StoredWeight[]>();
    readAll(found, bytes.byteLength, fileName).forEach((w, i) => {
      if (!w) return;
      const list = out.get(paths[i]!) ?? [];
      list.push(w);
      out.set(paths[i]!, list);
    });
    return out;
  });
}
