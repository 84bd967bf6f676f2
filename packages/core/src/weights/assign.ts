// Assigns weights read from a Keras HDF5 file to a tfjs-layers model, with Keras' own fallback:
// `legacy_h5_format.load_weights_from_hdf5_group` (no `by_name`) pairs the model's layers that have
// weights with the file's layers that have weights, in order, whatever their names.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import {
  weightKey,
  type KerasWeightInfo,
  type KerasWeightsFile,
  type KerasWeightsLayout,
} from './keras-h5.js';

/** Where a file does not fit a model: the first mismatch in model layer order. */
export interface WeightsMismatch {
  /** Model layer (absent when the file has extra layers). */
  layer?: string;
  /** File layer it was paired with. */
  fileLayer?: string;
  /** Weight key (`kernel`, `gamma`, ...). */
  weight?: string;
  expected?: number[];
  found?: number[];
  message: string;
}

export class WeightsError extends Error {
  constructor(
    readonly sourceName: string,
    message: string,
    readonly mismatch?: WeightsMismatch,
  ) {
    super(message);
    this.name = 'WeightsError';
  }
}

export type Matching = 'name' | 'name+order' | 'order';

export interface AssignReport {
  /** 'name': every layer by name; 'name+order': by name, the rest by order; 'order': Keras' order rule. */
  matching: Matching;
  /** Pairs whose names differ (model layer <- file layer), e.g. predictions <- Logits. */
  renamed: Array<{ layer: string; fileLayer: string }>;
  layers: number;
  weights: number;
  parameters: number;
}

export interface Pair<W extends KerasWeightInfo> {
  layer: tfl.layers.Layer;
  fileLayer: string;
  /** File weights in the order of `layer.weights`. */
  values: W[];
}

export interface Plan<W extends KerasWeightInfo> {
  matching: Matching;
  pairs: Pair<W>[];
  mismatch?: WeightsMismatch;
  /** Index (in model layer order) of the first mismatch; pairs.length + extra when none. */
  reached: number;
}

const fmt = (shape: readonly number[]) => `[${shape.join(', ')}]`;

/**
 * Sets every weight of `model` from `file`. Layers are paired by name where the names agree and by
 * order (Keras' rule for HDF5 files) where they differ; every weight count and shape is checked before
 * anything is assigned, so on error (a WeightsError naming the file and the first mismatch) the model is
 * left untouched.
 */
export function assignWeights(model: tfl.LayersModel, file: KerasWeightsFile): AssignReport {
  const plan = planWeights(model, file);
  let weights = 0;
  let parameters = 0;
  for (const { layer, values } of plan.pairs) {
    layer.weights.forEach((variable, j) => {
      const value = values[j]!;
      const t = tf.tensor(value.data, value.shape, 'float32');
      try {
        variable.write(t);
      } finally {
        // The variable keeps its own reference to the data.
        t.dispose();
      }
      weights++;
      parameters += value.data.length;
    });
  }
  return {
    matching: plan.matching,
    renamed: plan.pairs
      .filter((p) => p.layer.name !== p.fileLayer)
      .map((p) => ({ layer: p.layer.name, fileLayer: p.fileLayer })),
    layers: plan.pairs.length,
    weights,
    parameters,
  };
}

/**
 * Pairs the model's layers with the file's (see {@link assignWeights}) and checks every count and
 * shape, from the declared layout alone; throws a WeightsError naming the first mismatch.
 */
export function planWeights<W extends KerasWeightInfo>(
  model: tfl.LayersModel,
  file: KerasWeightsLayout<W>,
): Plan<W> {
  const modelLayers = model.layers.filter((l) => l.weights.length > 0);
  const fileLayers = file.layerNames.filter((n) => (file.layers.get(n)?.length ?? 0) > 0);

  // Candidate 1: same names paired by name, the remaining layers of each side paired in order.
  const fileSet = new Set(fileLayers);
  const modelSet = new Set(modelLayers.map((l) => l.name));
  const leftover = fileLayers.filter((n) => !modelSet.has(n));
  let k = 0;
  const hybrid = modelLayers.map((l) => (fileSet.has(l.name) ? l.name : leftover[k++]));
  // Candidate 2: Keras' rule, purely by order.
  const ordered = modelLayers.map((_, i) => fileLayers[i]);

  const byName = modelLayers.length - k;
  const plans = [
    makePlan(
      modelLayers,
      hybrid,
      leftover.slice(k),
      file,
      byName === 0 ? 'order' : k === 0 ? 'name' : 'name+order',
    ),
  ];
  if (ordered.some((n, i) => n !== hybrid[i])) {
    plans.push(makePlan(modelLayers, ordered, fileLayers.slice(modelLayers.length), file, 'order'));
  }
  const plan =
    plans.find((p) => !p.mismatch) ??
    // None fits: report the pairing that explains the file furthest (ties: the name-based one).
    plans.reduce((best, p) => (p.reached > best.reached ? p : best));
  if (plan.mismatch) {
    const how =
      plan.matching === 'order'
        ? 'layers paired by order, as Keras does'
        : plan.matching === 'name'
          ? 'layers paired by name'
          : 'layers paired by name, the rest by order';
    throw new WeightsError(
      file.sourceName,
      `Weights file "${file.sourceName}" does not fit model "${model.name}" (${how}): ${plan.mismatch.message}`,
      plan.mismatch,
    );
  }
  return plan;
}

function makePlan<W extends KerasWeightInfo>(
  modelLayers: tfl.layers.Layer[],
  pairedNames: Array<string | undefined>,
  extraFileLayers: string[],
  file: KerasWeightsLayout<W>,
  matching: Matching,
): Plan<W> {
  const pairs: Pair<W>[] = [];
  for (let i = 0; i < modelLayers.length; i++) {
    const layer = modelLayers[i]!;
    const fileLayer = pairedNames[i];
    if (fileLayer === undefined) {
      const mismatch = {
        layer: layer.name,
        message:
          `layer "${layer.name}" has no counterpart: the file has fewer layers with weights than the model ` +
          `(${pairs.length} paired before it, model has ${modelLayers.length})`,
      };
      return { matching, pairs, mismatch, reached: i };
    }
    const result = pairWeights(layer, fileLayer, file.layers.get(fileLayer)!);
    if (!Array.isArray(result)) return { matching, pairs, mismatch: result, reached: i };
    pairs.push({ layer, fileLayer, values: result });
  }
  if (extraFileLayers.length > 0) {
    const mismatch = {
      fileLayer: extraFileLayers[0],
      message:
        `the file has ${extraFileLayers.length} more layer(s) with weights than the model, ` +
        `first "${extraFileLayers[0]}"`,
    };
    return { matching, pairs, mismatch, reached: modelLayers.length };
  }
  return { matching, pairs, reached: modelLayers.length + 1 };
}

/** Orders a file layer's weights like `layer.weights`: by key where all keys agree, else by position. */
function pairWeights<W extends KerasWeightInfo>(
  layer: tfl.layers.Layer,
  fileLayer: string,
  values: W[],
): W[] | WeightsMismatch {
  const variables = layer.weights;
  const wanted = variables.map((v) => weightKey(v.originalName));
  const where =
    layer.name === fileLayer
      ? `layer "${layer.name}"`
      : `layer "${layer.name}" (file layer "${fileLayer}")`;
  if (values.length !== variables.length) {
    return {
      layer: layer.name,
      fileLayer,
      message:
        `${where} expects ${variables.length} weights (${wanted.join(', ')}), ` +
        `the file has ${values.length} (${values.map((v) => v.name).join(', ')})`,
    };
  }
  const byKey = new Map(values.map((v) => [weightKey(v.name), v]));
  const ordered =
    byKey.size === values.length && wanted.every((w) => byKey.has(w))
      ? wanted.map((w) => byKey.get(w)!)
      : values;
  for (let j = 0; j < variables.length; j++) {
    const expected = variables[j]!.shape as number[];
    const found = ordered[j]!.shape;
    if (expected.length !== found.length || expected.some((d, i) => d !== found[i])) {
      return {
        layer: layer.name,
        fileLayer,
        weight: wanted[j],
        expected,
        found,
        message: `${where}, weight "${wanted[j]}": expected shape ${fmt(expected)}, found ${fmt(found)} ("${ordered[j]!.name}")`,
      };
    }
  }
  return ordered;
}
