// Loads a user's own model from the files they give (one `.h5` or `.keras`, or a `model.json` with
// its weight shards, optionally a labels file), builds it, and says what was understood. Works on
// named byte arrays, so the same call serves a Web Worker (dropped files) and the CLI (read files).
import type * as tfl from '@tensorflow/tfjs-layers';
import { ModelExplainer } from '../engine.js';
import { LayerGraph } from '../graph/layer-graph.js';
import type { NetworkProfile, PreprocessMode } from '../network.js';
import { now } from '../util.js';
import { buildFlatModel, inputSize } from './build.js';
import {
  chooseDefaultLayer,
  describeOutput,
  detectPreprocessing,
  type OutputInfo,
  type PreprocessingInfo,
  type UserModelWarning,
} from './describe.js';
import { UserModelError } from './errors.js';
import { flattenModel } from './flatten.js';
import { labelsFor, parseLabels } from './labels.js';
import {
  isModelJson,
  parseJson,
  readH5Model,
  readKerasZip,
  readTfjsModel,
  sniff,
  utf8,
  type ModelSource,
  type UserModelFile,
  type UserModelFormat,
} from './sources.js';
import { assignUserWeights } from './weights.js';

export interface LoadUserModelOptions {
  /** Class names (e.g. from `parseLabels`); otherwise a labels file among the files, else "class i". */
  labels?: string[];
  /** Overrides the detected preprocessing. */
  preprocessing?: PreprocessMode;
}

/** What was understood from the files: plain data (structured-clone safe, for a worker's reply). */
export interface UserModelInfo {
  format: UserModelFormat;
  /** E.g. "Keras 2.9.0 full-model HDF5". */
  formatLabel: string;
  fileName: string;
  /** Short id for output names: the file name without extension (a model.json's folder). */
  id: string;
  /** The model's own name in its config. */
  modelName: string;
  input: { height: number; width: number; channels: 1 | 3 };
  output: OutputInfo;
  /** One name per class (two for a single sigmoid unit: class 0 is the opposite of class 1). */
  classes: string[];
  /** The labels' source: "option", a file name, or null for "class i" names. */
  labelsFrom: string | null;
  /** The preprocessing in use (`preprocessing.mode`), why, and whether the model contains it. */
  preprocessing: PreprocessingInfo;
  defaultLayer: string;
  /** Layers after flattening, and the nested models that were flattened (with their paths). */
  layerCount: number;
  nested: string[];
  /** Augmentation layers left out (identity at inference). */
  identities: string[];
  parameters: number;
  warnings: UserModelWarning[];
  /** Files used, and files given but not needed. */
  filesUsed: string[];
  filesIgnored: string[];
  /** Milliseconds from bytes to a ready model. */
  loadMs: number;
}

export interface UserModel {
  info: UserModelInfo;
  /** Ready to analyse photos; owns the model (dispose it to free it). */
  explainer: ModelExplainer;
}

function idOf(fileName: string): string {
  const parts = fileName.replace(/\\/g, '/').split('/').filter(Boolean);
  const base = parts.at(-1) ?? 'model';
  if (/^model\.json$/i.test(base) && parts.length > 1) return parts.at(-2)!;
  return base.replace(/\.(h5|hdf5|keras|json)$/i, '') || 'model';
}

/** Picks the model file and the labels file by content; reads the model's config and weights. */
async function readSource(files: UserModelFile[]): Promise<{
  source: ModelSource;
  used: UserModelFile[];
  labels?: { file: UserModelFile; names: string[] };
}> {
  if (files.length === 0) throw new UserModelError('No file was given');
  const kinds = files.map((f) => ({ f, kind: sniff(f.bytes) }));
  const models: { f: UserModelFile; json?: Record<string, unknown> }[] = [];
  const rest: UserModelFile[] = [];
  for (const { f, kind } of kinds) {
    if (kind === 'hdf5' || kind === 'zip') models.push({ f });
    else if (kind === 'json') {
      let v: unknown;
      try {
        v = parseJson(f);
      } catch (e) {
        // A damaged model.json must say so, not "no model given".
        if (
          /model\.json$/i.test(f.name) ||
          utf8(f.bytes.subarray(0, 2000)).includes('modelTopology')
        )
          throw e;
        rest.push(f);
        continue;
      }
      if (isModelJson(v)) models.push({ f, json: v });
      else rest.push(f);
    } else rest.push(f);
  }
  if (models.length !== 1) {
    throw new UserModelError(
      models.length === 0
        ? `No model among ${files.map((f) => `"${f.name}"`).join(', ')}: give a Keras .h5 or .keras ` +
            'file, or a TensorFlow.js model.json with its weight files'
        : `Several models were given (${models.map((m) => `"${m.f.name}"`).join(', ')}): give one`,
    );
  }
  const [{ f, json }] = models as [(typeof models)[0]];
  let source: ModelSource;
  const used = [f];
  if (json) {
    const tfjs = readTfjsModel(f, json, rest);
    source = tfjs.source;
    used.push(...tfjs.used);
  } else {
    source = sniff(f.bytes) === 'hdf5' ? await readH5Model(f) : await readKerasZip(f);
  }
  // A labels file among the others: text, or JSON names (Teachable Machine's metadata.json too).
  for (const file of rest.filter((r) => !used.includes(r) && sniff(r.bytes) !== 'binary')) {
    try {
      const names = parseLabels(utf8(file.bytes), file.name);
      used.push(file);
      return { source, used, labels: { file, names } };
    } catch {
      // Not labels: reported as ignored.
    }
  }
  return { source, used };
}

/**
 * Loads a user model from named byte arrays (see UserModelFile). Throws a UserModelError with a
 * message for people when the files cannot be used; then nothing stays allocated.
 */
export async function loadUserModel(
  files: UserModelFile[],
  options: LoadUserModelOptions = {},
): Promise<UserModel> {
  const t0 = now();
  const { source, used, labels: found } = await readSource(files);
  const flat = flattenModel(source.model);
  const [height, width, channels] = inputSize(flat);
  const id = idOf(source.fileName);
  const model: tfl.LayersModel = buildFlatModel(flat, id);
  try {
    assignUserWeights(model, flat.layers, source.weights);
    const output = describeOutput(flat, model);
    const { layer, warnings } = chooseDefaultLayer(new LayerGraph(model));
    const detected = detectPreprocessing(flat, channels);
    const preprocessing: PreprocessingInfo = options.preprocessing
      ? { ...detected, mode: options.preprocessing, known: true, reason: 'chosen by you' }
      : detected;
    if (options.preprocessing && detected.inModel.length > 0 && options.preprocessing !== 'raw') {
      warnings.push({
        code: 'preprocessing',
        message:
          `The model scales its input itself (${detected.inModel.join(', ')}); preprocessing ` +
          `"${options.preprocessing}" scales it a second time`,
      });
    }
    if (channels === 1 && preprocessing.mode === 'caffe') {
      throw new UserModelError(
        'caffe preprocessing needs an RGB model; this one takes grayscale images',
      );
    }
    const classes = output.binary ? 2 : output.units;
    const { labels, warning } = labelsFor(classes, options.labels ?? found?.names);
    if (warning) warnings.push({ code: 'labels', message: warning });
    if (output.kind !== 'softmax' && !output.binary) {
      warnings.push({ code: 'output', message: `The output is ${output.description}.` });
    }
    const ignored = files.filter((f) => !used.includes(f)).map((f) => f.name);
    for (const name of ignored) {
      warnings.push({ code: 'ignored-file', message: `"${name}" was not needed and is ignored` });
    }
    const profile: NetworkProfile = {
      id,
      name: id,
      inputHeight: height,
      inputWidth: width,
      channels,
      preprocessing: preprocessing.mode,
      defaultLayer: layer,
      output: output.kind,
      binary: output.binary,
      labels,
    };
    const info: UserModelInfo = {
      format: source.format,
      formatLabel: source.formatLabel,
      fileName: source.fileName,
      id,
      modelName: source.model.name,
      input: { height, width, channels },
      output,
      classes: labels,
      labelsFrom: options.labels ? 'option' : (found?.file.name ?? null),
      preprocessing,
      defaultLayer: layer,
      layerCount: flat.layers.length,
      nested: flat.nested,
      identities: flat.identities,
      parameters: model.countParams(),
      warnings,
      filesUsed: used.map((f) => f.name),
      filesIgnored: ignored,
      loadMs: now() - t0,
    };
    return { info, explainer: new ModelExplainer(profile, model) };
  } catch (e) {
    model.dispose();
    if (e instanceof UserModelError) throw e;
    throw new UserModelError(`The model cannot be used: ${(e as Error).message}`, undefined, {
      cause: e,
    });
  }
}
