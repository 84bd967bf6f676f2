// Types only: a method file imports these, never TensorFlow.js itself, so the registry is plain data
// that a UI thread can import (the engine hands the `tf` namespace to the formulas).
import type * as tf from '@tensorflow/tfjs-core';
import type { AbortSignalLike } from '../util.js';

/** The TensorFlow.js namespace, as the engine passes it to a method's formula. */
export type Tf = typeof tf;

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
  /** Model input side in pixels (its height, where `inputShape` gives both sides). */
  inputSize: number;
  /** Model input [height, width] where it may not be square (user models); else inputSize². */
  inputShape?: readonly [number, number];
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

/**
 * A numeric option a method declares (its key in `methodOptions`), so pickers, the worker and the
 * CLI read it from the registry instead of knowing the method by id.
 */
export interface MethodOption {
  /** Key in `methodOptions` (`ExplainOptions.methodOptions`, `CamContext.methodOptions`). */
  id: string;
  /** Picker label. */
  label: string;
  /** One or two sentences for tooltips and help texts. */
  help: string;
  default: number;
  /**
   * 'channels': how many of the layer's channels to use, 0 = all of them (pickers offer `presets`
   * below the layer's channel count, then "all"); 'tuning': changes speed only, not the map.
   */
  kind: 'channels' | 'tuning';
  /** Values pickers offer (for 'channels': those below the layer's channel count, then 0 = all). */
  presets?: readonly number[];
  /** Words shown after a value in pickers, e.g. `{ 64: 'default, Faster Score-CAM' }`; 0 = all. */
  notes?: Readonly<Record<number, string>>;
}

/** What every method declares: plain data, shown by pickers, the CLI and the guide. */
export interface MethodInfo {
  /** Id used everywhere (registry, CLI `--method`, UI, tests). */
  id: string;
  name: string;
  /** One line for tooltips. */
  summary: string;
  /** Paper and equation. */
  citation: string;
  kind: CamKind;
  /** Whether negated gradients (the counterfactual) mean anything for this method. */
  supportsCounterfactual: boolean;
  /** Method-specific options, with their defaults. */
  options?: readonly MethodOption[];
}

/**
 * A method whose map lives at the layer's resolution. It supplies channel weights alpha_k (the
 * base computes ReLU(sum_k alpha_k A_k)), async channel weights, or a whole map (the base applies
 * ReLU); either way the base normalises. Formulas receive `tf` from the engine and run inside
 * `tf.tidy` (the sync ones); `g` is null for gradient-free methods.
 */
export interface LayerMethod extends MethodInfo {
  kind: 'gradient' | 'gradient-free';
  /** Channel weights [K] from A and G, both [1, H, W, K]. */
  weights?(tf: Tf, a: tf.Tensor4D, g: tf.Tensor4D | null): tf.Tensor1D;
  /** Async channel weights (e.g. Score-CAM's forward passes); the caller disposes the result. */
  weightsAsync?(
    tf: Tf,
    ctx: CamContext,
    a: tf.Tensor4D,
    g: tf.Tensor4D | null,
  ): Promise<tf.Tensor1D>;
  /** A map [H, W] (before ReLU) for methods without channel weights. */
  map?(tf: Tf, a: tf.Tensor4D, g: tf.Tensor4D | null): tf.Tensor2D;
}

/** A pixel-level method; `layerMap` computes a layer method on the same context. */
export interface SaliencyMethod extends MethodInfo {
  kind: 'saliency';
  saliency(
    tf: Tf,
    ctx: CamContext,
    layerMap: (method: LayerMethod) => Promise<LayerMap>,
  ): Promise<SaliencyMap>;
}

/** A registry entry: data plus formula (run by the engine's `computeCam`). */
export type CamMethod = LayerMethod | SaliencyMethod;
