import type * as tfl from '@tensorflow/tfjs-layers';
import type { ModelSpec } from '../models/types.js';
import { assignWeights, type AssignReport } from './assign.js';
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
