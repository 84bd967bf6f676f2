import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { GraphExecutor } from './graph/executor.js';
import type { CamLayerInfo } from './graph/layer-graph.js';
import type { ModelSpec } from './models/types.js';
import type { RgbaImage } from './image/types.js';
import { resizeRgba } from './image/resize.js';
import { preprocess } from './image/preprocess.js';
import { IMAGENET_CLASSES } from './imagenet/labels.js';
import { classLabel, profileOfSpec, usesSigmoid, type NetworkProfile } from './network.js';
import { getCamMethod, DEFAULT_METHOD } from './cams/registry.js';
import { computeCam } from './cams/base.js';
import type { CamContext, CamOutput } from './cams/types.js';
import { now, throwIfAborted, type AbortSignalLike } from './util.js';

export interface Prediction {
  index: number;
  label: string;
  probability: number;
  logit: number;
}

export interface ExplainOptions {
  /** Method id from the CAM registry (default 'gradcam'). */
  method?: string;
  /** Target class; default: the top-1 prediction. */
  classIndex?: number;
  /** Counterfactual explanation: regions whose removal should raise the class score. */
  counterfactual?: boolean;
  /** Target layer; default: the architecture's default layer. */
  layer?: string;
  /** Method-specific options, e.g. `{ maxChannels: 64 }` for Score-CAM (0 = every channel). */
  methodOptions?: Readonly<Record<string, number>>;
  signal?: AbortSignalLike;
  onProgress?: (fraction: number) => void;
}

export interface Explanation {
  method: string;
  layer: string;
  counterfactual: boolean;
  target: Prediction;
  output: CamOutput;
  /** Milliseconds spent, for the UI's "how long did this take". */
  ms: number;
}

type InputOf = ModelSpec | NetworkProfile;

const profileOf = (m: InputOf): NetworkProfile =>
  'inputHeight' in m ? m : profileOfSpec(m, IMAGENET_CLASSES);

/**
 * An RGBA image at the model's input size (resized as Pillow does when it is not already). For a
 * grayscale model the photo is converted first, then resized, as Keras' `load_img` does.
 */
export function imageAtInputSize(model: InputOf, image: RgbaImage): RgbaImage {
  const { inputHeight: h, inputWidth: w, channels } = profileOf(model);
  let img = image;
  if (channels === 1) {
    const gray = preprocess(image, 'raw', 1);
    const data = new Uint8ClampedArray(gray.length * 4);
    for (let p = 0; p < gray.length; p++) {
      data[4 * p] = data[4 * p + 1] = data[4 * p + 2] = gray[p];
      data[4 * p + 3] = image.data[4 * p + 3];
    }
    img = { width: image.width, height: image.height, data };
  }
  return img.width === w && img.height === h ? img : resizeRgba(img, w, h);
}

/** Converts an RGBA image of any size to the model's preprocessed input tensor [1, H, W, C]. */
export function imageToInput(model: InputOf, image: RgbaImage): tf.Tensor4D {
  const p = profileOf(model);
  const data = preprocess(imageAtInputSize(p, image), p.preprocessing, p.channels);
  return tf.tensor4d(data, [1, p.inputHeight, p.inputWidth, p.channels]);
}

/**
 * A loaded network (a registered ImageNet network or a user's model, see NetworkProfile) ready to
 * classify and explain images. Works in Node and in a Web Worker.
 */
export class ModelExplainer {
  readonly executor: GraphExecutor;
  private current: NetworkProfile;

  constructor(
    profile: NetworkProfile,
    readonly model: tfl.LayersModel,
  ) {
    this.current = profile;
    this.executor = new GraphExecutor(model, { binaryOutput: profile.binary });
  }

  get profile(): NetworkProfile {
    return this.current;
  }

  /**
   * Changes what the file does not record (preprocessing, labels, default layer) for the analyses
   * made from now on; the network itself is kept.
   */
  configure(
    changes: Partial<Pick<NetworkProfile, 'preprocessing' | 'labels' | 'defaultLayer'>>,
  ): void {
    if (changes.defaultLayer !== undefined) this.executor.keepFor(changes.defaultLayer);
    this.current = { ...this.current, ...changes };
  }

  /** Layers at which a CAM can be computed, input to output, with their resolution. */
  camLayers(): CamLayerInfo[] {
    return this.executor.graph.camLayers(this.profile.defaultLayer);
  }

  /** Runs the network once on an image; the returned analysis answers every question about it. */
  analyze(image: RgbaImage): Analysis<this> {
    const sized = imageAtInputSize(this.profile, image);
    return new Analysis(this, imageToInput(this.profile, sized), sized);
  }

  /** Same, from an already preprocessed input [1, H, W, C] (the analysis takes ownership). */
  analyzeInput(input: tf.Tensor4D): Analysis<this> {
    return new Analysis(this, input);
  }

  dispose(): void {
    this.executor.dispose();
    this.model.dispose();
  }
}

/** A registered ImageNet network (`spec` from the registry) with its weights. */
export class Explainer extends ModelExplainer {
  constructor(
    readonly spec: ModelSpec,
    model: tfl.LayersModel,
  ) {
    super(profileOfSpec(spec, IMAGENET_CLASSES), model);
  }
}

/** Probabilities from logits [batch, classes] as the network's output means them. */
function probabilitiesOf(profile: NetworkProfile, logits: tf.Tensor): tf.Tensor {
  return usesSigmoid(profile) ? tf.sigmoid(logits) : tf.softmax(logits);
}

const GRADIENT_CACHE = 8;

/**
 * The forward pass of one image, with cached activations and gradients so that switching class,
 * method or counterfactual does not run the network again.
 */
export class Analysis<E extends ModelExplainer = ModelExplainer> {
  readonly logits: Float32Array;
  /** The target layer whose activations are kept for the analysis' life (the default layer). */
  private readonly defaultLayer: string;
  readonly probabilities: Float32Array;
  /** Kept forward tensors per target layer (activations + residual side inputs). */
  private readonly kept = new Map<string, Map<string, tf.Tensor>>();
  /** d(logit c)/dA per `${layer}|${class}` (unnegated), most recent last. */
  private readonly grads = new Map<string, tf.Tensor4D>();
  private disposed = false;

  constructor(
    readonly explainer: E,
    readonly input: tf.Tensor4D,
    /** The photo at the model's input size, when the analysis was made from one (`analyze`). */
    readonly image?: RgbaImage,
  ) {
    const profile = explainer.profile;
    const layer = profile.defaultLayer;
    this.defaultLayer = layer;
    const ex = explainer.executor;
    const { logits, kept } = ex.forward(input, ex.keepFor(layer));
    this.kept.set(layer, kept);
    this.logits = logits.dataSync() as Float32Array;
    const bad = this.logits.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) {
      // Finite weights can still overflow (e.g. 1e30 everywhere): never show "NaN %".
      logits.dispose();
      this.dispose();
      throw new Error(
        `${profile.name} computed a non-finite score (${this.logits[bad]} for class ${bad}) ` +
          'for this image: its weights are damaged or do not belong to this network. ' +
          'Load the official weights file again.',
      );
    }
    const probs = probabilitiesOf(profile, logits);
    this.probabilities = probs.dataSync() as Float32Array;
    probs.dispose();
    logits.dispose();
  }

  prediction(index: number): Prediction {
    if (!Number.isInteger(index) || index < 0 || index >= this.probabilities.length) {
      throw new Error(`Class index ${index} is out of range 0..${this.probabilities.length - 1}`);
    }
    return {
      index,
      label: classLabel(this.explainer.profile, index),
      probability: this.probabilities[index],
      logit: this.logits[index],
    };
  }

  /** The k most probable classes, most probable first. */
  top(k = 5): Prediction[] {
    const idx = Array.from(this.probabilities.keys());
    idx.sort((a, b) => this.probabilities[b] - this.probabilities[a]);
    return idx.slice(0, Math.max(1, Math.min(k, idx.length))).map((i) => this.prediction(i));
  }

  private keptFor(layer: string): Map<string, tf.Tensor> {
    let k = this.kept.get(layer);
    if (!k) {
      const ex = this.explainer.executor;
      const res = ex.forward(this.input, ex.keepFor(layer));
      res.logits.dispose();
      k = res.kept;
      // Keep the default layer and the most recent other one.
      for (const [name, old] of this.kept) {
        if (name !== this.defaultLayer) {
          old.forEach((t) => t.dispose());
          this.kept.delete(name);
          for (const key of [...this.grads.keys()]) {
            if (key.startsWith(`${name}|`)) {
              this.grads.get(key)!.dispose();
              this.grads.delete(key);
            }
          }
        }
      }
      this.kept.set(layer, k);
    }
    return k;
  }

  /** A = activations at `layer`, [1, H, W, K] (owned by the analysis). */
  activations(layer: string): tf.Tensor4D {
    this.assertLive();
    return this.keptFor(layer).get(layer) as tf.Tensor4D;
  }

  /** G = d(logit of classIndex)/dA at `layer` (owned by the analysis). */
  gradients(layer: string, classIndex: number): tf.Tensor4D {
    this.assertLive();
    this.prediction(classIndex);
    const key = `${layer}|${classIndex}`;
    let g = this.grads.get(key);
    if (g) {
      this.grads.delete(key);
      this.grads.set(key, g);
      return g;
    }
    g = this.explainer.executor.gradient(layer, this.keptFor(layer), classIndex) as tf.Tensor4D;
    this.grads.set(key, g);
    while (this.grads.size > GRADIENT_CACHE) {
      const [oldest, t] = this.grads.entries().next().value as [string, tf.Tensor4D];
      t.dispose();
      this.grads.delete(oldest);
    }
    return g;
  }

  /** Runs a CAM method; see ExplainOptions. */
  async explain(options: ExplainOptions = {}): Promise<Explanation> {
    this.assertLive();
    const t0 = now();
    const method = getCamMethod(options.method ?? DEFAULT_METHOD);
    const layer = options.layer ?? this.defaultLayer;
    const classIndex = options.classIndex ?? this.top(1)[0].index;
    const counterfactual = options.counterfactual ?? false;
    if (counterfactual && !method.supportsCounterfactual) {
      throw new Error(`${method.name} uses no gradients, so it has no counterfactual form`);
    }
    const target = this.prediction(classIndex);
    const owned: tf.Tensor[] = [];
    const ex = this.explainer.executor;
    const ctx: CamContext = {
      layer,
      classIndex,
      counterfactual,
      inputSize: this.explainer.profile.inputHeight,
      inputShape: [this.explainer.profile.inputHeight, this.explainer.profile.inputWidth],
      signal: options.signal,
      onProgress: options.onProgress,
      methodOptions: options.methodOptions,
      activations: async () => this.activations(layer),
      gradients: async () => {
        const g = this.gradients(layer, classIndex);
        if (!counterfactual) return g;
        const neg = tf.neg(g);
        owned.push(neg);
        return neg;
      },
      input: () => this.input,
      scoreBatch: (batch) => this.score(batch, classIndex, options.signal),
      inputGradient: async (guided) => {
        // Counterfactual: differentiate the negated logit (Selvaraju et al., IJCV 2020, section 3.3).
        const g = ex.inputGradient(this.input, classIndex, guided, counterfactual ? -1 : 1);
        owned.push(g);
        return g;
      },
    };
    // Validate the layer before any work (clear message for a layer that cannot work).
    ex.keepFor(layer);
    try {
      const output = await computeCam(method, ctx);
      return { method: method.id, layer, counterfactual, target, output, ms: now() - t0 };
    } finally {
      owned.forEach((t) => t.dispose());
    }
  }

  /**
   * Target-class logits and probabilities for a batch of preprocessed inputs [N, S, S, 3] (used by
   * Score-CAM and the faithfulness metrics; the caller disposes the batch).
   */
  async score(
    batch: tf.Tensor4D,
    classIndex: number,
    signal?: AbortSignalLike,
  ): Promise<{ logits: Float32Array; probabilities: Float32Array }> {
    throwIfAborted(signal);
    const { logits, kept } = this.explainer.executor.forward(batch);
    kept.forEach((t) => t.dispose());
    const [l, p] = tf.tidy(() => {
      const col = tf.slice(logits, [0, classIndex], [-1, 1]);
      const prob = tf.slice(
        probabilitiesOf(this.explainer.profile, logits),
        [0, classIndex],
        [-1, 1],
      );
      return [tf.reshape(col, [-1]), tf.reshape(prob, [-1])];
    });
    logits.dispose();
    try {
      return {
        logits: (await l.data()) as Float32Array,
        probabilities: (await p.data()) as Float32Array,
      };
    } finally {
      l.dispose();
      p.dispose();
    }
  }

  private assertLive(): void {
    if (this.disposed) throw new Error('This analysis was disposed');
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.input.dispose();
    for (const k of this.kept.values()) k.forEach((t) => t.dispose());
    this.kept.clear();
    for (const g of this.grads.values()) g.dispose();
    this.grads.clear();
  }
}
