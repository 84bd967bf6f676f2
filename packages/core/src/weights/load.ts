import type * as tfl from '@tensorflow/tfjs-layers';
import type { ModelSpec } from '../models/types.js';
import { MODELS } from '../models/registry.js';
import { assignWeights, WeightsError, type AssignReport } from './assign.js';
import { identifyArchitecture } from './identify.js';
import { readKerasWeights } from './keras-h5.js';

/**
 * Reads a Keras HDF5 weights file, builds `spec`'s model and assigns the weights. Throws (and disposes
 * the half-made model) with an Error naming `sourceName` when the file is unreadable or does not fit.
 */
export async function loadModelWeights(
  spec: ModelSpec,
  bytes: Uint8Array,
  sourceName: string,
  onReport?: (report: AssignReport) => void,
): Promise<tfl.LayersModel> {
  // Parse first: a bad file fails before the (for VGG16, 528 MB) model is allocated.
  const file = await readKerasWeights(bytes, sourceName);
  // Another network's file gets a message naming both networks, not a shape mismatch.
  const other = identifyArchitecture(file, MODELS);
  if (other && other.id !== spec.id) {
    throw new WeightsError(
      sourceName,
      `Weights file "${sourceName}" holds ${other.name} weights, not ${spec.name} weights ` +
        `(choose ${other.name}, or use ${spec.weights.fileName})`,
    );
  }
  const model = spec.build();
  try {
    const report = assignWeights(model, file);
    onReport?.(report);
  } catch (e) {
    model.dispose();
    throw e;
  }
  return model;
}
