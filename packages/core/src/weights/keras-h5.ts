// Reader for Keras 2 HDF5 weight files (`model.save_weights('x.h5')`, keras.applications downloads),
// layout as written by Keras' `legacy_h5_format.save_weights_to_hdf5_group`: root attribute
// `layer_names`; one group per layer with attribute `weight_names`; datasets at `<layer>/<weight name>`.
// Isomorphic: h5wasm's in-memory file system works in browsers, Web Workers and Node.
import h5wasm from 'h5wasm';
import { MAX_COMPRESSION, withH5File } from './h5-memory.js';

/** One stored weight before its values are read: name and shape only. */
export interface KerasWeightInfo {
  /** Name as stored in the file's `weight_names`, e.g. `Conv1/kernel:0`. */
  name: string;
  shape: number[];
}

export interface KerasWeight extends KerasWeightInfo {
  data: Float32Array;
}

/** What a weights file declares (names and shapes), read before any value. */
export interface KerasWeightsLayout<W extends KerasWeightInfo = KerasWeightInfo> {
  /** Name given by the caller (file name or URL), used in every error message. */
  sourceName: string;
  /** Every layer in file order, including layers without weights (root attribute `layer_names`). */
  layerNames: string[];
  /** Weights per layer name, in `weight_names` order; `[]` for layers without weights. */
  layers: ReadonlyMap<string, W[]>;
  /** Root attributes `backend` and `keras_version` where present. */
  backend?: string;
  kerasVersion?: string;
}

export type KerasWeightsFile = KerasWeightsLayout<KerasWeight>;

export interface ReadOptions {
  /**
   * Called with the declared layout after the size check and before any value is read; throwing
   * stops the read (e.g. a file that cannot fit the model is refused without reading 500 MB).
   */
  beforeData?: (layout: KerasWeightsLayout) => void;
}

/** `Conv1/kernel:0` -> `kernel`: last path component without the TF output index. */
export function weightKey(name: string): string {
  return name.slice(name.lastIndexOf('/') + 1).replace(/:\d+$/, '');
}

/** Datasets above this many bytes are read in slices along axis 0 to keep h5wasm's heap small. */
const SLICE_BYTES = 32 * 1024 * 1024;

/**
 * Parses a Keras 2 HDF5 weights file held in memory. The bytes are handed to h5wasm's in-memory file
 * system without a copy and must not be modified while this runs. Throws an Error naming `sourceName`
 * and the problem for files that are not HDF5, truncated, corrupt, or not Keras weight files.
 */
export async function readKerasWeights(
  bytes: Uint8Array,
  sourceName: string,
  options: ReadOptions = {},
): Promise<KerasWeightsFile> {
  try {
    return await withH5File(bytes, (file) => {
      const found = readLayout(file, sourceName);
      checkDeclaredSize(found, bytes.byteLength);
      try {
        options.beforeData?.(toLayout(found));
      } catch (e) {
        throw new FromCaller(e);
      }
      return readValues(found);
    });
  } catch (e) {
    if (e instanceof FromCaller) throw e.error;
    if (e instanceof KerasFileError) throw new Error(`Weights file "${sourceName}" ${e.message}`);
    throw new Error(`Weights file "${sourceName}" ${describeHdf5Error(e)}`, { cause: e });
  }
}

/** An error thrown by the caller's `beforeData`: passed on unchanged. */
class FromCaller {
  constructor(readonly error: unknown) {}
}

/** A format problem found by this reader (as opposed to an HDF5 library error); the message is a predicate. */
class KerasFileError extends Error {}

type H5Group = InstanceType<typeof h5wasm.Group>;
type H5Dataset = InstanceType<typeof h5wasm.Dataset>;

interface FoundWeight extends KerasWeightInfo {
  dataset: H5Dataset;
  where: string;
  /** Bytes per stored element (4 or 8). */
  elementBytes: number;
  compressed: boolean;
}

type FoundLayout = KerasWeightsLayout<FoundWeight>;

/** Names, shapes and types of every listed weight; no value is read. */
function readLayout(file: InstanceType<typeof h5wasm.File>, sourceName: string): FoundLayout {
  // Keras full-model files keep the weights under `model_weights` (as Keras' `load_weights` does).
  let root: H5Group = file;
  if (!('layer_names' in file.attrs)) {
    const inner = file.keys().includes('model_weights') ? file.get('model_weights') : null;
    if (inner instanceof h5wasm.Group && 'layer_names' in inner.attrs) {
      root = inner;
    } else {
      throw new KerasFileError(
        'is HDF5 but not a Keras HDF5 weights file: its root has no "layer_names" attribute ' +
          `(root attributes: ${Object.keys(file.attrs).join(', ') || 'none'})`,
      );
    }
  }
  const layerNames = readStrings(root, 'layer_names', '/');
  const layers = new Map<string, FoundWeight[]>();
  for (const layerName of layerNames) {
    const group = root.get(layerName);
    if (!(group instanceof h5wasm.Group)) {
      throw new KerasFileError(
        `is damaged: layer "${layerName}" is listed in "layer_names" but has no group`,
      );
    }
    const weightNames =
      'weight_names' in group.attrs ? readStrings(group, 'weight_names', layerName) : [];
    layers.set(
      layerName,
      weightNames.map((name) => {
        const dataset = group.get(name);
        if (!(dataset instanceof h5wasm.Dataset)) {
          throw new KerasFileError(
            `is damaged: layer "${layerName}" lists weight "${name}" but has no such dataset`,
          );
        }
        return describeDataset(dataset, name, `${layerName}/${name}`);
      }),
    );
  }
  const backend = optionalString(file, 'backend');
  const kerasVersion = optionalString(file, 'keras_version');
  return {
    sourceName,
    layerNames,
    layers,
    ...(backend && { backend }),
    ...(kerasVersion && { kerasVersion }),
  };
}

/** Refuses files whose datasets declare more data than the file can hold, before reading any. */
function checkDeclaredSize(layout: FoundLayout, fileBytes: number): void {
  let declared = 0;
  let compressed = false;
  for (const weights of layout.layers.values()) {
    for (const w of weights) {
      declared += w.shape.reduce((a, b) => a * b, 1) * w.elementBytes;
      compressed ||= w.compressed;
    }
  }
  const limit = compressed ? fileBytes * MAX_COMPRESSION : fileBytes;
  if (declared > limit) {
    throw new KerasFileError(
      `is damaged or hostile: its datasets declare ${formatBytes(declared)} of weights, ` +
        `but the file is only ${formatBytes(fileBytes)}`,
    );
  }
}

function toLayout(found: FoundLayout): KerasWeightsLayout {
  const layers = new Map<string, KerasWeightInfo[]>();
  for (const [k, ws] of found.layers)
    layers.set(
      k,
      ws.map(({ name, shape }) => ({ name, shape })),
    );
  return { ...found, layers };
}

function readValues(found: FoundLayout): KerasWeightsFile {
  const layers = new Map<string, KerasWeight[]>();
  for (const [k, ws] of found.layers) {
    layers.set(
      k,
      ws.map((w) => ({ name: w.name, shape: w.shape, data: readDataset(w) })),
    );
  }
  return { ...found, layers };
}

/** A string-array attribute; fixed-length (numpy `S`, as Keras 2 writes) or variable-length strings. */
function readStrings(group: H5Group, attr: string, where: string): string[] {
  const value = group.attrs[attr]!.value;
  const list = Array.isArray(value) ? value : [value];
  return list.map((v) => {
    if (typeof v === 'string') return v.replace(/\0+$/, '');
    throw new KerasFileError(
      `is damaged: attribute "${attr}" of "${where}" is not a list of strings`,
    );
  });
}

function optionalString(group: H5Group, attr: string): string | undefined {
  if (!(attr in group.attrs)) return undefined;
  const value = group.attrs[attr]!.value;
  return typeof value === 'string' ? value : undefined;
}

function describeDataset(dataset: H5Dataset, name: string, where: string): FoundWeight {
  const meta = dataset.metadata;
  // h5wasm metadata.type follows H5T_class_t: 1 = H5T_FLOAT.
  if (meta.type !== 1 || (meta.size !== 4 && meta.size !== 8)) {
    throw new KerasFileError(
      `dataset "${where}" is not float32/float64 (HDF5 dtype ${String(dataset.dtype)})`,
    );
  }
  const shape = dataset.shape ?? [];
  if (shape.some((d) => !Number.isSafeInteger(d) || d < 0)) {
    throw new KerasFileError(`is damaged: dataset "${where}" has shape [${shape.join(', ')}]`);
  }
  return {
    name,
    shape,
    dataset,
    where,
    elementBytes: meta.size,
    compressed: dataset.filters.length > 0,
  };
}

function readDataset({ dataset, shape, where, elementBytes }: FoundWeight): Float32Array {
  const count = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(count);
  const rowCount = shape.length > 0 ? shape[0]! : 1;
  const rowElems = rowCount > 0 ? count / rowCount : 0;
  const rowsPerSlice = Math.max(1, Math.floor(SLICE_BYTES / Math.max(1, rowElems * elementBytes)));
  if (shape.length === 0 || rowsPerSlice >= rowCount) {
    copyInto(data, 0, dataset.value, where, count);
  } else {
    for (let r = 0; r < rowCount; r += rowsPerSlice) {
      const end = Math.min(rowCount, r + rowsPerSlice);
      copyInto(data, r * rowElems, dataset.slice([[r, end]]), where, (end - r) * rowElems);
    }
  }
  // NaN or infinite weights would make every output NaN ("NaN %"): refuse them here.
  const bad = data.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) {
    throw new KerasFileError(
      `is damaged: dataset "${where}" holds ${String(data[bad])} at index ${bad} ` +
        '(weights must be finite numbers)',
    );
  }
  return data;
}

function copyInto(
  target: Float32Array,
  offset: number,
  value: unknown,
  where: string,
  expected: number,
): void {
  if (
    !(value instanceof Float32Array || value instanceof Float64Array) ||
    value.length !== expected
  ) {
    throw new KerasFileError(
      `is damaged: dataset "${where}" could not be read as ${expected} floats`,
    );
  }
  target.set(value, offset);
}

/** Turns the HDF5 error stack (h5wasm's throwing handler) into a short reason. */
export function describeHdf5Error(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  // Innermost frame: "#006: .../H5Fsuper.c line 388 in H5F__super_read(): file signature not found".
  const frames = [...text.matchAll(/#\d+: .* in \w+\(\): (.*)/g)].map((m) => m[1]!.trim());
  const detail = frames.at(-1);
  if (detail === undefined) return `could not be read: ${text.split('\n')[0]}`;
  if (/file signature not found/.test(detail))
    return 'is not an HDF5 file (no HDF5 signature found)';
  if (/truncated file/.test(detail)) return `is truncated (HDF5: ${detail})`;
  return `is corrupt or not readable as HDF5 (HDF5: ${detail})`;
}

function formatBytes(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)} GB`;
  return n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : `${(n / 1e3).toFixed(1)} kB`;
}
