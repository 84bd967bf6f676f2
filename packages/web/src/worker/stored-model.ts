// A network's weights as the browser store keeps them (weights-cache.ts): the model's variables
// flattened into one Float32Array with their names and shapes, and the network rebuilt from them.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { buildModel, type ModelSpec } from '@gradcam-explorer/core';
import type { StoredWeights } from './weights-cache';

/** A weight's shape (always fully defined for weights). */
const dims = (v: tfl.LayerVariable): number[] => v.shape.map((d) => d ?? 0);
const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** The weights of `model` as one Float32Array plus names and shapes (the IndexedDB layout). */
export function snapshot(model: tfl.LayersModel): StoredWeights {
  const vars = model.weights;
  const total = vars.reduce((s, v) => s + size(dims(v)), 0);
  const data = new Float32Array(total);
  let offset = 0;
  for (const v of vars) {
    const values = v.read().dataSync() as Float32Array;
    data.set(values, offset);
    offset += values.length;
  }
  return { names: vars.map((v) => v.originalName), shapes: vars.map(dims), data };
}

/** Builds `spec`'s network from stored weights; null when the entry does not fit this code. */
export function restore(spec: ModelSpec, stored: StoredWeights): tfl.LayersModel | null {
  const model = buildModel(spec);
  const vars = model.weights;
  const fits =
    vars.length === stored.names.length &&
    vars.every(
      (v, i) =>
        v.originalName === stored.names[i] &&
        v.shape.length === stored.shapes[i].length &&
        dims(v).every((d, j) => d === stored.shapes[i][j]),
    );
  if (!fits) {
    model.dispose();
    return null;
  }
  let offset = 0;
  const tensors = vars.map((v, i) => {
    const n = size(dims(v));
    const t = tf.tensor(stored.data.subarray(offset, offset + n), stored.shapes[i]);
    offset += n;
    return t;
  });
  model.setWeights(tensors);
  tensors.forEach((t) => t.dispose());
  return model;
}
