import type { ModelSpec } from '../models/types.js';
import type { KerasWeightsLayout } from './keras-h5.js';

/** Number of values stored in a weights file (every dataset of every layer). */
export function fileParameterCount(file: KerasWeightsLayout): number {
  let n = 0;
  for (const weights of file.layers.values()) {
    for (const w of weights) n += w.shape.reduce((a, b) => a * b, 1);
  }
  return n;
}

/**
 * The architecture a weights file belongs to, by its exact parameter count (every registered
 * network has its own; models/registry.test.ts checks it), or null when none fits.
 * Registry-driven: a new architecture is recognised without a hand-kept list of layer names.
 */
export function identifyArchitecture(
  file: KerasWeightsLayout,
  models: readonly ModelSpec[],
): ModelSpec | null {
  const n = fileParameterCount(file);
  return models.find((m) => m.parameters === n) ?? null;
}
