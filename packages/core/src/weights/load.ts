import type * as tfl from '@tensorflow/tfjs-layers';
import type { ModelSpec } from '../models/types.js';
import { buildModel } from '../models/build.js';
import { MODELS } from '../models/registry.js';
import { assignWeights, planWeights, WeightsError, type AssignReport } from './assign.js';
import { fileParameterCount, identifyArchitecture } from './identify.js';
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
  // Everything that can be checked from the declared layout is checked before any value is read
  // and before the model is applied: a bad file fails fast, without allocating hundreds of MB.
  let model: tfl.LayersModel | null = null;
  try {
    const file = await readKerasWeights(bytes, sourceName, {
      beforeData(layout) {
        // Another network's file gets a message naming both networks, not a shape mismatch.
        const other = identifyArchitecture(layout, MODELS);
        if (other && other.id !== spec.id) {
          throw new WeightsError(
            sourceName,
            `Weights file "${sourceName}" holds ${other.name} weights, not ${spec.name} weights ` +
              `(choose ${other.name}, or use ${spec.weights.fileName})`,
          );
        }
        model = buildModel(spec);
        planWeights(model, layout);
      },
    });
    const report = assignWeights(model!, file);
    onReport?.(report);
    return model!;
  } catch (e) {
    (model as tfl.LayersModel | null)?.dispose();
    throw e;
  }
}

/**
 * Checks that `bytes` are a usable weights file for `spec` without building the network: a Keras
 * HDF5 weights file, of this architecture (by its exact parameter count), every value finite. Used
 * before a download is moved into the cache. Throws an Error naming `sourceName` and the problem.
 */
export async function checkWeightsFile(
  spec: ModelSpec,
  bytes: Uint8Array,
  sourceName: string,
): Promise<void> {
  await readKerasWeights(bytes, sourceName, {
    beforeData(layout) {
      const n = fileParameterCount(layout);
      if (n === spec.parameters) return;
      const other = identifyArchitecture(layout, MODELS);
      throw new WeightsError(
        sourceName,
        `Weights file "${sourceName}" holds ${other ? `${other.name} weights` : `${n} values`}, ` +
          `not the ${spec.parameters} of ${spec.name}`,
      );
    },
  });
}
