import type * as tf from '@tensorflow/tfjs-core';
import type { AbortSignalLike } from '../util.js';

/** What a CAM method may ask for; everything is computed lazily and cached by the caller. */
export interface CamContext {
  /** Target layer name. */
  layer: string;
  /** Target class (Keras index). */
  classIndex: number;
  /** Counterfactual: gradients are negated before the formula (Selvaraju et al., IJCV 2020, §3.3). */
  counterfactual: boolean;
  /** A: activations at the layer, [1, H, W, K]. Owned by the context: do not dispose. */
  activations(): Promise<tf.Tensor4D>;
  /** G: d(target logit)/dA, [1, H, W, K], already negated when counterfactual. Owned by the context. */
  gradients(): Promise<tf.Tensor4D>;
  /** The preprocessed model input, [1, S, S, 3]. Owned by the context. */
  input(): tf.Tensor4D;
  /** Target-class logits and probabilities for a batch of model inputs [N, S, S, 3] (caller disposes the batch). */
  scoreBatch(batch: tf.Tensor4D): Promise<{ logits: Float32Array; probabilities: Float32Array }>;
  /** d(target logit)/d(input) through the whole network, [1, S, S, 3]; guided ReLUs when asked. */
  inputGradient(guided: boolean): Promise<tf.Tensor4D>;
  /** Method-specific options, e.g. Score-CAM's `maxChannels` and `batchSize`. */
  methodOptions?: Readonly<Record<string, number>>;
  /** Model input side in pixels. */
  inputSize: number;
  signal?: AbortSignalLike;
  onProgress?: (fraction: number) => void;
}

export type CamKind = 'gradient' | 'gradient-free' | 'saliency';

/** A class activation map at the layer's resolution, ReLU'd and divided by its maximum. */
export interface LayerMap {
  kind: 'layer';
  width: number;
  height: number;
  /** Row-major, top row first, in [0, 1]. */
  values: Float32Array;
  /** Maximum of the map before normalisation (0 for an all-zero map). */
  rawMax: number;
  /** Channel weights where the method has them (for the step-by-step view). */
  channelWeights?: Float32Array;
}

/** A pixel-level saliency image at the model's input resolution (guided methods). */
export interface SaliencyMap {
  kind: 'saliency';
  width: number;
  height: number;
  /** RGB gradient values, row-major, 3 per pixel (signed, unnormalised). */
  rgb: Float32Array;
  /** Per-pixel magnitude in [0, 1] (max over channels of |value|, divided by its maximum). */
  magnitude: Float32Array;
}

export type CamOutput = LayerMap | SaliencyMap;

export interface CamMethod {
  /** Id used everywhere (registry, CLI `--method`, UI, tests). */
  id: string;
  name: string;
  /** One line for tooltips. */
  summary: string;
  /** Paper and equation. */
  citation: string;
  kind: CamKind;
  supportsCounterfactual: boolean;
  compute(ctx: CamContext): Promise<CamOutput>;
}
