// The networks the app offers, as plain data (no TensorFlow.js: the page's main thread imports this).
// Adding one of an existing family: a new file with its spec, plus one line here. `buildModel` in
// build.ts builds any of them with its family's builder.
import { mobilenetV2 } from './mobilenet_v2.js';
import { resnet101 } from './resnet101.js';
import { resnet152 } from './resnet152.js';
import { resnet50 } from './resnet50.js';
import type { ModelSpec } from './types.js';
import { vgg16 } from './vgg16.js';
import { vgg19 } from './vgg19.js';
import { xception } from './xception.js';

export const MODELS = Object.freeze([
  vgg16,
  vgg19,
  resnet50,
  resnet101,
  resnet152,
  mobilenetV2,
  xception,
] as const satisfies readonly ModelSpec[]);

/** Architecture ids used everywhere (CLI choices, UI pickers, tests): those of the registry. */
export type ModelId = (typeof MODELS)[number]['id'];

export const MODEL_IDS: readonly ModelId[] = Object.freeze(MODELS.map((m) => m.id));

/** The spec for `id`; throws an Error listing the valid ids otherwise. */
export function getModelSpec(id: string): ModelSpec {
  const spec = MODELS.find((m) => m.id === id);
  if (!spec) {
    throw new Error(`Unknown model "${id}". Valid models: ${MODEL_IDS.join(', ')}`);
  }
  return spec;
}
