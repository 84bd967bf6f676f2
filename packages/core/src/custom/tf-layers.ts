// TensorFlow.js layers for the Keras layers that tfjs-layers lacks or implements differently.
// Each computes its output with differentiable ops (`headOp`), which the graph executor also uses
// for the head after a target layer. They are built directly, never registered for
// deserialisation, so tfjs-layers' own classes stay as they are.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { HeadOpLayer } from '../graph/more-ops.js';
import { applyActivation, type OpOptions } from '../graph/activations.js';

type Shape = (number | null)[];

/** A layer whose output is `headOp` of its inputs; `getClassName()` is the Keras class. */
abstract class OpLayer extends tfl.layers.Layer implements HeadOpLayer {
  static className = 'GradcamOpLayer';

  constructor(
    private readonly kerasClass: string,
    name: string,
  ) {
    super({ name });
  }

  override getClassName(): string {
    return this.kerasClass;
  }

  abstract headOp(inputs: tf.Tensor[], opts: OpOptions): tf.Tensor;

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => this.headOp(Array.isArray(inputs) ? inputs : [inputs], { guided: false }));
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    return inputShape;
  }
}

/** A constant per channel (last axis) or a scalar. */
function constant(v: number | Float32Array): tf.Tensor {
  return typeof v === 'number' ? tf.scalar(v) : tf.tensor1d(v);
}

/** Keras `Rescaling`: x * scale + offset (scalars or one value per channel). */
export class RescalingLayer extends OpLayer {
  constructor(
    name: string,
    readonly scale: number | Float32Array,
    readonly offset: number | Float32Array,
  ) {
    super('Rescaling', name);
  }

  headOp([x]: tf.Tensor[]): tf.Tensor {
    return tf.add(tf.mul(x!, constant(this.scale)), constant(this.offset));
  }
}

/**
 * Keras `Normalization` over the last axis: (x - mean) / max(sqrt(variance), 1e-7), or the inverse
 * with `invert`. Mean and variance come from the config, or are weights (`adapt()`) set later.
 */
export class NormalizationLayer extends OpLayer {
  private meanVar: tfl.LayerVariable | null = null;
  private varianceVar: tfl.LayerVariable | null = null;

  constructor(
    name: string,
    private readonly fixed: { mean: number | Float32Array; variance: number | Float32Array } | null,
    private readonly invert: boolean,
  ) {
    super('Normalization', name);
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    if (!this.fixed) {
      const c = shape[shape.length - 1] ?? 1;
      const init = (value: number) => tfl.initializers.constant({ value });
      this.meanVar = this.addWeight('mean', [c], 'float32', init(0), undefined, false);
      this.varianceVar = this.addWeight('variance', [c], 'float32', init(1), undefined, false);
    }
    this.built = true;
  }

  headOp([x]: tf.Tensor[]): tf.Tensor {
    const mean = this.meanVar ? this.meanVar.read() : constant(this.fixed!.mean);
    const variance = this.varianceVar ? this.varianceVar.read() : constant(this.fixed!.variance);
    const std = tf.maximum(tf.sqrt(variance), 1e-7);
    return this.invert ? tf.add(mean, tf.mul(x!, std)) : tf.div(tf.sub(x!, mean), std);
  }
}

/**
 * Keras `Resizing`: `tf.image.resize` (half-pixel centres, no antialiasing), bilinear or nearest,
 * optionally cropping the centre to the target aspect ratio first.
 */
export class ResizingLayer extends OpLayer {
  constructor(
    name: string,
    readonly height: number,
    readonly width: number,
    readonly interpolation: 'bilinear' | 'nearest',
    readonly cropToAspectRatio: boolean,
  ) {
    super('Resizing', name);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    return [s[0] ?? null, this.height, this.width, s[3] ?? null];
  }

  headOp([x]: tf.Tensor[]): tf.Tensor {
    let img = x as tf.Tensor4D;
    if (this.cropToAspectRatio) {
      // Keras `smart_resize`: the largest centred crop with the target aspect ratio.
      const [, h, w] = img.shape;
      const ch = Math.min(h, Math.floor((w * this.height) / this.width));
      const cw = Math.min(w, Math.floor((h * this.width) / this.height));
      const top = Math.floor((h - ch) / 2);
      const left = Math.floor((w - cw) / 2);
      img = tf.slice(img, [0, top, left, 0], [-1, ch, cw, -1]);
    }
    const size: [number, number] = [this.height, this.width];
    return this.interpolation === 'nearest'
      ? tf.image.resizeNearestNeighbor(img, size, false, true)
      : tf.image.resizeBilinear(img, size, false, true);
  }
}

/** Keras global pooling with `keepdims=True`: [b, 1, 1, c]. */
export class KeepDimsPoolingLayer extends OpLayer {
  constructor(
    name: string,
    private readonly max: boolean,
  ) {
    super(max ? 'GlobalMaxPooling2D' : 'GlobalAveragePooling2D', name);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    return [s[0] ?? null, 1, 1, s[3] ?? null];
  }

  headOp([x]: tf.Tensor[]): tf.Tensor {
    return this.max ? tf.max(x!, [1, 2], true) : tf.mean(x!, [1, 2], true);
  }
}

/**
 * Keras `ReLU(max_value, negative_slope, threshold)` in general: max_value above it, x from
 * threshold up, negative_slope * (x - threshold) below; and `ELU(alpha)` for alpha other than 1.
 */
export class PiecewiseLinearUnitLayer extends OpLayer {
  constructor(
    name: string,
    readonly kind: 'ReLU' | 'ELU',
    readonly params: {
      maxValue?: number | null;
      negativeSlope?: number;
      threshold?: number;
      alpha?: number;
    },
  ) {
    super(kind, name);
  }

  headOp([x]: tf.Tensor[]): tf.Tensor {
    const v = x!;
    if (this.kind === 'ELU') {
      return tf.where(tf.greater(v, 0), v, tf.mul(this.params.alpha ?? 1, tf.expm1(v)));
    }
    const { maxValue, negativeSlope = 0, threshold = 0 } = this.params;
    let y = tf.where(tf.greaterEqual(v, threshold), v, tf.mul(negativeSlope, tf.sub(v, threshold)));
    if (maxValue !== null && maxValue !== undefined) y = tf.minimum(y, maxValue);
    return y;
  }
}

/**
 * Keras `DepthwiseConv2D` with a dilation rate: tfjs-layers' own layer ignores the rate
 * ("TODO: Add support for dilation"), so this one computes it.
 */
export class DilatedDepthwiseLayer extends OpLayer {
  private kernel: tfl.LayerVariable | null = null;
  private bias: tfl.LayerVariable | null = null;

  constructor(
    name: string,
    readonly args: {
      kernelSize: [number, number];
      strides: [number, number];
      dilationRate: [number, number];
      padding: 'same' | 'valid';
      depthMultiplier: number;
      useBias: boolean;
      activation: string;
    },
  ) {
    super('DepthwiseConv2D', name);
  }

  override build(inputShape: Shape | Shape[]): void {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const c = s[3] ?? 1;
    const [kh, kw] = this.args.kernelSize;
    const zeros = tfl.initializers.zeros();
    const m = this.args.depthMultiplier;
    this.kernel = this.addWeight('depthwise_kernel', [kh, kw, c, m], 'float32', zeros);
    if (this.args.useBias) this.bias = this.addWeight('bias', [c * m], 'float32', zeros);
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const { kernelSize: k, strides: st, dilationRate: d, padding } = this.args;
    const side = (n: number | null, i: 0 | 1) => {
      if (n === null) return null;
      const span = padding === 'same' ? n : n - (k[i] - 1) * d[i];
      return Math.ceil(span / st[i]);
    };
    return [
      s[0] ?? null,
      side(s[1] ?? null, 0),
      side(s[2] ?? null, 1),
      (s[3] ?? 0) * this.args.depthMultiplier,
    ];
  }

  headOp([x]: tf.Tensor[], opts: OpOptions): tf.Tensor {
    const { strides, padding, dilationRate } = this.args;
    const k = this.kernel!.read() as tf.Tensor4D;
    let y: tf.Tensor = tf.depthwiseConv2d(
      x as tf.Tensor4D,
      k,
      strides,
      padding,
      'NHWC',
      dilationRate,
    );
    if (this.bias) y = tf.add(y, this.bias.read());
    return applyActivation(y, this.args.activation, opts);
  }
}
