// The four real user models in `<shared>/models` (see its README) and what is known of each, for
// the tests that load them; the tests skip, saying why, when the folder is absent.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { PreprocessMode } from '../network.js';
import { SHARED_DIR } from './node.js';

export const MODELS_DIR = join(SHARED_DIR, 'models');

export interface SharedModel {
  id: string;
  /** The file given to --model-file / loadUserModel (a model.json's shards sit beside it). */
  model: string;
  shards: string[];
  labels: string;
  samples: string[];
  formatLabel: RegExp;
  input: { height: number; width: number; channels: 1 | 3 };
  classes: number;
  output: 'softmax' | 'sigmoid';
  nested: string[];
  /** The README's Grad-CAM layer, with the path of the models around it, and its map size. */
  defaultLayer: string;
  map: [number, number];
  detected: PreprocessMode;
  /** What the authors' own code does (the README's "preprocessing" column). */
  authors: PreprocessMode;
}

const at = (f: string) => join(MODELS_DIR, f);

export const SHARED_MODELS: readonly SharedModel[] = [
  {
    id: 'tm_covid_xray',
    model: at('tm_covid_xray.h5'),
    shards: [],
    labels: at('tm_covid_xray.labels.txt'),
    samples: [at('tm_covid_xray.sample1.jpeg')],
    formatLabel: /^Keras 2\.4\.0 full-model HDF5$/,
    input: { height: 224, width: 224, channels: 3 },
    classes: 2,
    output: 'softmax',
    nested: ['sequential_5', 'sequential_5/model2', 'sequential_7'],
    defaultLayer: 'sequential_5/model2/Conv_1',
    map: [7, 7],
    detected: 'tf',
    authors: 'tf',
  },
  {
    id: 'catdog_sigmoid_64',
    model: at('catdog_sigmoid_64.h5'),
    shards: [],
    labels: at('catdog_sigmoid_64.labels.json'),
    samples: [],
    formatLabel: /^Keras 2\.9\.0 full-model HDF5$/,
    input: { height: 64, width: 64, channels: 3 },
    classes: 2,
    output: 'sigmoid',
    nested: [],
    defaultLayer: 'conv2d_15',
    map: [32, 32],
    detected: 'unit',
    authors: 'unit',
  },
  {
    id: 'fashion_mnist_cnn',
    model: at('fashion_mnist_cnn.keras'),
    shards: [],
    labels: at('fashion_mnist_cnn.labels.json'),
    samples: [],
    formatLabel: /^Keras 3\.10\.0 \.keras archive$/,
    input: { height: 28, width: 28, channels: 1 },
    classes: 10,
    output: 'softmax',
    nested: [],
    defaultLayer: 'conv2d_1',
    map: [11, 11],
    detected: 'unit',
    authors: 'unit',
  },
  {
    id: 'tfjs_gtsrb_30px',
    model: at('tfjs_gtsrb_30px/model.json'),
    shards: [at('tfjs_gtsrb_30px/group1-shard1of1.bin')],
    labels: at('tfjs_gtsrb_30px.labels.json'),
    samples: [at('tfjs_gtsrb_30px.sample1_test.png'), at('tfjs_gtsrb_30px.sample2_idk.png')],
    formatLabel: /^TensorFlow\.js layers model, from keras v2\.8\.0$/,
    input: { height: 30, width: 30, channels: 3 },
    classes: 43,
    output: 'softmax',
    nested: [],
    defaultLayer: 'conv2d_3',
    map: [7, 7],
    detected: 'unit',
    authors: 'raw',
  },
];

/** Whether the shared models are here; prints why the tests skip when they are not. */
export function sharedModelsSkip(what: string): boolean {
  const missing = SHARED_MODELS.flatMap((m) => [m.model, ...m.shards, m.labels, ...m.samples]).find(
    (f) => !existsSync(f),
  );
  if (missing) console.warn(`Skipping ${what}: ${missing} is absent (set GRADCAM_SHARED_DIR)`);
  return missing !== undefined;
}
