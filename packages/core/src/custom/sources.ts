// Recognises a user model by its bytes, not its file name (real `.keras` files are sometimes HDF5),
// and reads its config and weights:
// - HDF5 (signature \x89HDF\r\n\x1a\n): a full-model `.h5` (see hdf5.ts);
// - ZIP (PK\x03\x04): a Keras 3 `.keras` archive with `config.json`, `metadata.json` and
//   `model.weights.h5` (keras/src/saving/saving_lib.py);
// - JSON with `modelTopology` and `weightsManifest`: a TensorFlow.js layers model, whose weights are
//   the shards its manifest names (tfjs-core io: groups of `paths`, weights laid end to end).
import * as tf from '@tensorflow/tfjs-core';
import { strFromU8, unzipSync } from 'fflate';
import { UserModelError } from './errors.js';
import { readFullModelH5, readKeras3Weights, type StoredWeight } from './hdf5.js';
import { readModelConfig, type ModelSpecJson } from './keras-config.js';

/** A file the user gave: its name (for messages and shard look-up) and bytes. */
export interface UserModelFile {
  name: string;
  bytes: Uint8Array;
}

export type UserModelFormat = 'keras-h5' | 'keras-zip' | 'tfjs-layers';

/** Where each weight of the model is stored. */
export type WeightStore =
  /** `.h5`: by top-level layer; TensorFlow.js: one pool (key '') named `layer/weight`. */
  | { kind: 'groups'; groups: Map<string, StoredWeight[]> }
  /** `.keras`: by layer path, in variable order. */
  | { kind: 'paths'; paths: Map<string, StoredWeight[]> };

export interface ModelSource {
  format: UserModelFormat;
  /** E.g. "Keras 2.4.0 full-model HDF5". */
  formatLabel: string;
  fileName: string;
  model: ModelSpecJson;
  weights: WeightStore;
}

export type FileKind = 'hdf5' | 'zip' | 'json' | 'text' | 'binary';

const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/** UTF-8 text of bytes (fflate's decoder: core has neither DOM nor Node types). */
export const utf8 = (bytes: Uint8Array): string => strFromU8(bytes);

const baseName = (name: string) => name.slice(name.replace(/\\/g, '/').lastIndexOf('/') + 1);

/** What a file holds, by its first bytes. */
export function sniff(bytes: Uint8Array): FileKind {
  // HDF5 allows a user block of 512, 1024, 2048... bytes before the superblock.
  for (let at = 0; at + 8 <= bytes.length && at <= 1 << 16; at = at === 0 ? 512 : at * 2) {
    if (HDF5_SIGNATURE.every((b, i) => bytes[at + i] === b)) return 'hdf5';
  }
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5)) return 'zip';
  const head = utf8(bytes.subarray(0, 4096));
  const first = head.replace(/^\uFEFF/, '').trimStart()[0];
  if (first === '{' || first === '[') return 'json';
  return head.includes('\0') || /\uFFFD/.test(head.slice(0, 4000)) ? 'binary' : 'text';
}

export function parseJson(file: UserModelFile): unknown {
  const t = utf8(file.bytes).replace(/^\uFEFF/, '');
  try {
    return JSON.parse(t);
  } catch (e) {
    throw new UserModelError(
      `"${file.name}" is not valid JSON (truncated or damaged): ${(e as Error).message}`,
      file.name,
    );
  }
}

/** Whether parsed JSON is a TensorFlow.js model.json (layers or graph model). */
export function isModelJson(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && 'modelTopology' in v;
}

export async function readH5Model(file: UserModelFile): Promise<ModelSource> {
  const h5 = await readFullModelH5(file.bytes, file.name);
  const model = readModelConfig(h5.config, `"${file.name}"`);
  const major = h5.kerasVersion?.split('.')[0];
  return {
    format: 'keras-h5',
    formatLabel: `Keras ${h5.kerasVersion ?? '(version not recorded)'} full-model HDF5${major === '3' ? ' (Keras 3 legacy format)' : ''}`,
    fileName: file.name,
    model,
    weights: { kind: 'groups', groups: h5.groups },
  };
}

export async function readKerasZip(file: UserModelFile): Promise<ModelSource> {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(file.bytes, {
      filter: (f) => ['config.json', 'metadata.json', 'model.weights.h5'].includes(f.name),
    });
  } catch (e) {
    throw new UserModelError(
      `"${file.name}" is a damaged or truncated zip archive (${(e as Error).message})`,
      file.name,
    );
  }
  const config = entries['config.json'];
  if (!config) {
    throw new UserModelError(
      `"${file.name}" is a zip archive without "config.json", so not a Keras 3 .keras model. ` +
        "Save the model with model.save('model.keras') and load that file.",
      file.name,
    );
  }
  const weights = entries['model.weights.h5'];
  if (!weights) {
    throw new UserModelError(
      `"${file.name}" has no "model.weights.h5": it holds the architecture only. Save the trained ` +
        "model with model.save('model.keras').",
      file.name,
    );
  }
  const meta = entries['metadata.json']
    ? (parseJson({ name: `${file.name}/metadata.json`, bytes: entries['metadata.json'] }) as Record<
        string,
        unknown
      >)
    : {};
  const model = readModelConfig(
    parseJson({ name: `${file.name}/config.json`, bytes: config }),
    `"${file.name}"`,
  );
  const paths = await readKeras3Weights(weights, `${file.name}/model.weights.h5`);
  const version = typeof meta['keras_version'] === 'string' ? meta['keras_version'] : '3';
  return {
    format: 'keras-zip',
    formatLabel: `Keras ${version} .keras archive`,
    fileName: file.name,
    model,
    weights: { kind: 'paths', paths },
  };
}

const BYTES: Readonly<Record<string, number>> = {
  float32: 4,
  int32: 4,
  uint8: 1,
  uint16: 2,
  float16: 2,
  bool: 1,
};

/** A TensorFlow.js layers model: `model.json` and the shards among `others` (matched by name). */
export function readTfjsModel(
  file: UserModelFile,
  json: Record<string, unknown>,
  others: UserModelFile[],
): { source: ModelSource; used: UserModelFile[] } {
  if (json['format'] === 'graph-model') {
    throw new UserModelError(
      `"${file.name}" is a TensorFlow.js graph model, which keeps no layers to explain. ` +
        'Convert the Keras model with tensorflowjs_converter --output_format tfjs_layers_model.',
      file.name,
    );
  }
  const model = readModelConfig(json['modelTopology'], `"${file.name}"`);
  const manifest = json['weightsManifest'];
  if (!Array.isArray(manifest)) {
    throw new UserModelError(`"${file.name}" lists no weights ("weightsManifest")`, file.name);
  }
  const byName = new Map(others.map((f) => [baseName(f.name), f]));
  const used: UserModelFile[] = [];
  const pool: StoredWeight[] = [];
  for (const group of manifest as { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[]) {
    const parts = group.paths.map((p) => {
      const shard = byName.get(baseName(p));
      if (!shard) {
        throw new UserModelError(
          `"${file.name}" needs its weights file "${baseName(p)}", which was not given: load it ` +
            'together with model.json (drop all the files at once, or keep them in one folder).',
          file.name,
        );
      }
      used.push(shard);
      return shard.bytes;
    });
    const total = parts.reduce((a, b) => a + b.byteLength, 0);
    const buffer = new Uint8Array(total);
    parts.reduce((at, p) => (buffer.set(p, at), at + p.byteLength), 0);
    const needed = group.weights.reduce((a, w) => {
      const dtype = w.quantization?.dtype ?? w.dtype;
      return a + w.shape.reduce((x, y) => x * y, 1) * (BYTES[dtype] ?? 4);
    }, 0);
    if (needed > total) {
      throw new UserModelError(
        `The weights files of "${file.name}" (${group.paths.join(', ')}) are truncated: ` +
          `${total} bytes where the manifest needs ${needed}`,
        file.name,
      );
    }
    const tensors = tf.io.decodeWeights(buffer.buffer, group.weights);
    try {
      for (const w of group.weights) {
        const data = Float32Array.from(tensors[w.name]!.dataSync());
        if (data.some((v) => !Number.isFinite(v))) {
          throw new UserModelError(`Weight "${w.name}" of "${file.name}" is not finite`, file.name);
        }
        pool.push({ name: w.name, shape: w.shape, data });
      }
    } finally {
      Object.values(tensors).forEach((t) => t.dispose());
    }
  }
  const by = typeof json['generatedBy'] === 'string' ? `, from ${json['generatedBy']}` : '';
  return {
    source: {
      format: 'tfjs-layers',
      formatLabel: `TensorFlow.js layers model${by}`,
      fileName: file.name,
      model,
      weights: { kind: 'groups', groups: new Map([['', pool]]) },
    },
    used,
  };
}
