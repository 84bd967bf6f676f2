// What the engine needs to know about a network, whether a registered ImageNet network or a user's
// own model: input, preprocessing, output, labels, default layer. Plain data (no TensorFlow.js).
import type { ModelSpec, Preprocessing } from './models/types.js';

/**
 * How pixel values (0..255) become the model's input:
 * - `tf`: x / 127.5 - 1 (-1..1; Keras `preprocess_input` mode "tf", Teachable Machine);
 * - `caffe`: RGB -> BGR minus the ImageNet channel means (Keras mode "caffe");
 * - `unit`: x / 255 (0..1, the most common choice for models trained from scratch);
 * - `raw`: x as is (0..255; also what a model that rescales its input itself receives).
 */
export type PreprocessMode = Preprocessing | 'unit' | 'raw';

export interface PreprocessModeInfo {
  id: PreprocessMode;
  /** Short label for pickers, e.g. "0..1". */
  label: string;
  formula: string;
}

export const PREPROCESS_MODES: readonly PreprocessModeInfo[] = Object.freeze([
  { id: 'unit', label: '0..1', formula: 'x / 255' },
  { id: 'tf', label: '-1..1', formula: 'x / 127.5 - 1' },
  {
    id: 'caffe',
    label: 'caffe',
    formula: 'RGB to BGR, minus the ImageNet means (103.9, 116.8, 123.7)',
  },
  { id: 'raw', label: '0..255', formula: 'x (pixel values as they are)' },
]);

/**
 * What the model's output means:
 * - `softmax`: N class probabilities (the logits are the pre-softmax scores);
 * - `sigmoid`: one sigmoid unit z, shown as two classes: class 1 with p = sigmoid(z) and class 0,
 *   its opposite, with 1 - p (logits -z and z);
 * - `multilabel`: N independent sigmoid units;
 * - `logits`: raw scores without a final activation (probabilities shown as their softmax; a
 *   single raw unit is read like `sigmoid`).
 */
export type OutputKind = 'softmax' | 'sigmoid' | 'multilabel' | 'logits';

export interface NetworkProfile {
  /** Registry id, or the user file's name without its extension. */
  id: string;
  /** Display name. */
  name: string;
  inputHeight: number;
  inputWidth: number;
  /** 3 (RGB) or 1 (grayscale: colour photos are converted as Pillow's `convert('L')`). */
  channels: 1 | 3;
  preprocessing: PreprocessMode;
  /** Default Grad-CAM target layer. */
  defaultLayer: string;
  output: OutputKind;
  /** True when one output unit stands for two classes (logits [-z, z]). */
  binary: boolean;
  /** One name per class (the logits' length). */
  labels: readonly string[];
}

/** The profile of a registered ImageNet network. */
export function profileOfSpec(spec: ModelSpec, labels: readonly string[]): NetworkProfile {
  return {
    id: spec.id,
    name: spec.name,
    inputHeight: spec.inputSize,
    inputWidth: spec.inputSize,
    channels: 3,
    preprocessing: spec.preprocessing,
    defaultLayer: spec.defaultLayer,
    output: 'softmax',
    binary: false,
    labels,
  };
}

/** A class's label, or "class i" where the profile has none. */
export function classLabel(profile: Pick<NetworkProfile, 'labels'>, index: number): string {
  return profile.labels[index] ?? `class ${index}`;
}

/** Whether probabilities are sigmoids of the logits (else their softmax). */
export function usesSigmoid(profile: Pick<NetworkProfile, 'output' | 'binary'>): boolean {
  return profile.output === 'sigmoid' || profile.output === 'multilabel' || profile.binary;
}
