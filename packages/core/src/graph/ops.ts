import * as tf from '@tensorflow/tfjs-core';
import type { GraphNode } from './layer-graph.js';
import { applyActivation, guidedRelu, type OpOptions } from './activations.js';
import { hasHeadOp, runMoreOp } from './more-ops.js';

type CustomGradientFunc<T extends tf.Tensor> = Parameters<typeof tf.customGrad<T>>[0];

/**
 * Differentiable re-implementations of the Keras layers used by the registered networks, for the
 * parts of a network that are differentiated (the head after a CAM layer, or the whole network for
 * guided backpropagation). Unlike the layers' own `call` they:
 * - use unfused ops, whose gradients are computed lazily per input, so no filter/weight gradient
 *   is ever computed (the wasm backend lacks Conv2DBackpropFilter, and a dense layer's weight
 *   gradient is an outer product the size of the kernel);
 * - route depthwise convolutions through a custom gradient built from existing kernels (the wasm
 *   backend lacks DepthwiseConv2dNativeBackpropInput);
 * - can replace ReLU gradients by guided ones (Springenberg et al. 2015, "Striving for
 *   Simplicity", eq. for guided backpropagation: pass a gradient only where input and gradient are
 *   both positive).
 */
export type { OpOptions };
export { applyActivation };

type Padding = 'same' | 'valid';

// tfjs-layers keeps weights in LayerVariables on named fields; read them without copying.
interface LayerVar {
  read(): tf.Tensor;
}
/** A layer's fields, read by name (tfjs-layers keeps them on the instance). */
export type AnyLayer = Record<string, unknown> & { getConfig(): Record<string, unknown> };

export function weight(layer: AnyLayer, field: string): tf.Tensor | null {
  const v = layer[field] as LayerVar | null | undefined;
  return v ? v.read() : null;
}

export function activationName(layer: AnyLayer): string {
  const a = layer['activation'] as { getClassName(): string } | undefined;
  return a ? a.getClassName() : 'linear';
}

/** Explicit (top, bottom, left, right) padding of TF's 'same' / 'valid' convolutions. */
function tfPadding(
  inH: number,
  inW: number,
  k: [number, number],
  s: [number, number],
  padding: Padding,
): [number, number, number, number] {
  if (padding === 'valid') return [0, 0, 0, 0];
  const outH = Math.ceil(inH / s[0]);
  const outW = Math.ceil(inW / s[1]);
  const padH = Math.max((outH - 1) * s[0] + k[0] - inH, 0);
  const padW = Math.max((outW - 1) * s[1] + k[1] - inW, 0);
  const top = Math.floor(padH / 2);
  const left = Math.floor(padW / 2);
  return [top, padH - top, left, padW - left];
}

/** Spreads rows and columns s apart, zeros between and after: [b,h,w,c] -> [b,h sH,w sW,c]. */
function spread(x: tf.Tensor4D, [sH, sW]: [number, number]): tf.Tensor4D {
  const [b, h, w, c] = x.shape;
  let y: tf.Tensor4D = x;
  if (sW > 1) {
    const z = tf.zeros([b, h, w, sW - 1, c]);
    y = tf.reshape(tf.concat([tf.reshape(y, [b, h, w, 1, c]), z], 3), [b, h, w * sW, c]);
  }
  if (sH > 1) {
    const w2 = y.shape[2];
    const z = tf.zeros([b, h, sH - 1, w2, c]);
    y = tf.reshape(tf.concat([tf.reshape(y, [b, h, 1, w2, c]), z], 2), [b, h * sH, w2, c]);
  }
  return y;
}

/** The top-left [h, w] of x (zero-padded where x is smaller). */
function fit(x: tf.Tensor4D, h: number, w: number): tf.Tensor4D {
  const [, xh, xw] = x.shape;
  if (xh === h && xw === w) return x;
  const y = tf.slice(x, [0, 0, 0, 0], [-1, Math.min(h, xh), Math.min(w, xw), -1]);
  if (xh >= h && xw >= w) return y;
  return tf.pad(y, [
    [0, 0],
    [0, Math.max(0, h - xh)],
    [0, Math.max(0, w - xw)],
    [0, 0],
  ]);
}

/**
 * Gradient of a convolution (multiplier 1 when depthwise, no dilation) with respect to its input,
 * built from the fast forward kernels: dx[j] = sum_i dy[i] w[j + top - s i], i.e. the output
 * gradient, spread s apart and padded by k-1-top before, correlated with the spatially flipped
 * filter (in/out channels swapped for a full convolution). The convolution does the padding, so
 * that for stride 1 nothing is copied or cropped. 1x1 filters (never padded) multiply first and
 * spread after. (The wasm backend's own Conv2DBackpropInput is ~8x slower than its Conv2D, and it
 * has no DepthwiseConv2dNativeBackpropInput at all.)
 */
function convBackpropInput(
  dy: tf.Tensor4D,
  back: tf.Tensor4D,
  inShape: [number, number, number, number],
  strides: [number, number],
  pad: [number, number, number, number],
  depthwise: boolean,
): tf.Tensor4D {
  const [kH, kW] = back.shape;
  const [, inH, inW] = inShape;
  const [, outH, outW] = dy.shape;
  if (!depthwise && kH === 1 && kW === 1) {
    return fit(spread(tf.conv2d(dy, back, 1, 'valid'), strides), inH, inW);
  }
  const [top, , left] = pad;
  // Padding after the spread gradient that makes the result exactly inH rows (when >= 0).
  const afterH = inH + top - outH * strides[0];
  const afterW = inW + left - outW * strides[1];
  const p: [[number, number], [number, number], [number, number], [number, number]] = [
    [0, 0],
    [kH - 1 - top, Math.max(afterH, 0)],
    [kW - 1 - left, Math.max(afterW, 0)],
    [0, 0],
  ];
  const d = spread(dy, strides);
  return fit(depthwise ? tf.depthwiseConv2d(d, back, 1, p) : tf.conv2d(d, back, 1, p), inH, inW);
}

/**
 * The filter `convBackpropInput` correlates with: spatially flipped, and for a full convolution
 * with input/output channels swapped. A constant per layer, so callers cache it.
 */
export function backFilter(filter: tf.Tensor4D, depthwise: boolean): tf.Tensor4D {
  return tf.tidy(() => {
    const [kH, kW] = filter.shape;
    const flipped = kH === 1 && kW === 1 ? filter : tf.reverse(filter, [0, 1]);
    return depthwise ? tf.clone(flipped) : tf.transpose(flipped, [0, 1, 3, 2]);
  });
}

/** A convolution whose input gradient is `convBackpropInput` (no filter gradient is computed). */
function routedConv(
  x: tf.Tensor4D,
  filter: tf.Tensor4D,
  strides: [number, number],
  padding: Padding,
  depthwise: boolean,
  back: () => tf.Tensor4D = () => backFilter(filter, depthwise),
): tf.Tensor4D {
  const [kH, kW, , mult] = filter.shape;
  if (depthwise && mult !== 1)
    throw new Error('depthwise multiplier other than 1 is not supported');
  const f = tf.customGrad(((input: tf.Tensor) => {
    const xi = input as tf.Tensor4D;
    const inShape = xi.shape as [number, number, number, number];
    const pad = tfPadding(inShape[1], inShape[2], [kH, kW], strides, padding);
    const value = depthwise
      ? tf.depthwiseConv2d(xi, filter, strides, padding)
      : tf.conv2d(xi, filter, strides, padding);
    return {
      value,
      gradFunc: (dy: tf.Tensor) =>
        convBackpropInput(dy as tf.Tensor4D, back(), inShape, strides, pad, depthwise),
    };
  }) as unknown as CustomGradientFunc<tf.Tensor>);
  return f(x) as tf.Tensor4D;
}

/** Depthwise convolution differentiable on every backend (input gradient from forward kernels). */
export function depthwiseConv(
  x: tf.Tensor4D,
  filter: tf.Tensor4D,
  strides: [number, number],
  padding: Padding,
  back?: () => tf.Tensor4D,
): tf.Tensor4D {
  return routedConv(x, filter, strides, padding, true, back);
}

/** Convolution (no dilation) whose input gradient uses the fast forward kernel. */
export function conv(
  x: tf.Tensor4D,
  filter: tf.Tensor4D,
  strides: [number, number],
  padding: Padding,
  back?: () => tf.Tensor4D,
): tf.Tensor4D {
  return routedConv(x, filter, strides, padding, false, back);
}

/** dx = (W . dy^T)^T: W as the left operand, so no transposed copy of the kernel is packed. */
function denseInputGrad(kernel: tf.Tensor2D, dy: tf.Tensor): tf.Tensor {
  return tf.transpose(tf.matMul(kernel, tf.transpose(dy)));
}

/**
 * x . W with input gradient dx = (W . dy^T)^T: with W as the left operand no transposed copy of
 * the kernel is packed (for VGG16's 25088x4096 fc1 that is ~4x faster on wasm than dy . W^T).
 */
export function dense(x: tf.Tensor2D, kernel: tf.Tensor2D): tf.Tensor2D {
  const f = tf.customGrad(((input: tf.Tensor) => ({
    value: tf.matMul(input as tf.Tensor2D, kernel),
    gradFunc: (dy: tf.Tensor) => denseInputGrad(kernel, dy),
  })) as unknown as CustomGradientFunc<tf.Tensor>);
  return f(x) as tf.Tensor2D;
}

/**
 * A dense layer (linear or ReLU) whose output `y` the forward pass already computed: the head
 * skips the product and computes only the input gradient, dx = (W g^T)^T with g = dy * 1[y > 0]
 * for ReLU (ReLU's derivative read from its output; guided: also 1[dy > 0], Springenberg et al.
 * 2015). For VGG16's fc1 (25088x4096 weights) that saves one pass over 411 MB per gradient.
 */
export function knownDense(
  node: GraphNode,
  x: tf.Tensor,
  y: tf.Tensor,
  opts: OpOptions,
): tf.Tensor | null {
  const layer = node.layer as unknown as AnyLayer;
  const act = activationName(layer);
  if (node.className !== 'Dense' || x.rank !== 2 || hasHeadOp(node.layer)) return null;
  if (act !== 'linear' && act !== 'relu') return null;
  const kernel = weight(layer, 'kernel') as tf.Tensor2D;
  const f = tf.customGrad(((input: tf.Tensor) => ({
    value: tf.clone(y),
    gradFunc: (dy: tf.Tensor) => {
      let g = dy;
      if (act === 'relu') g = tf.mul(g, tf.step(y));
      if (act === 'relu' && opts.guided) g = tf.mul(g, tf.step(dy));
      void input;
      return denseInputGrad(kernel, g);
    },
  })) as unknown as CustomGradientFunc<tf.Tensor>);
  return f(x);
}

export function pair(v: unknown, fallback: number): [number, number] {
  if (Array.isArray(v)) return [Number(v[0]), Number(v[1] ?? v[0])];
  if (typeof v === 'number') return [v, v];
  return [fallback, fallback];
}

function addBias(y: tf.Tensor, bias: tf.Tensor | null): tf.Tensor {
  return bias ? tf.add(y, bias) : y;
}

/** Per-layer constants derived once (e.g. folded batch-norm scale and shift). */
export class OpCache {
  private readonly bn = new Map<string, { scale: tf.Tensor; shift: tf.Tensor }>();
  private readonly back = new Map<tf.Tensor, tf.Tensor4D>();

  /** Cached `backFilter` of a layer's filter (weights are loaded before the executor is built). */
  backFilter(filter: tf.Tensor4D, depthwise: boolean): () => tf.Tensor4D {
    return () => {
      let b = this.back.get(filter);
      if (!b) {
        b = tf.keep(backFilter(filter, depthwise));
        this.back.set(filter, b);
      }
      return b;
    };
  }

  batchNorm(node: GraphNode): { scale: tf.Tensor; shift: tf.Tensor } {
    let v = this.bn.get(node.name);
    if (!v) {
      const layer = node.layer as unknown as AnyLayer;
      const eps = Number(layer['epsilon']);
      const mean = weight(layer, 'movingMean')!;
      const variance = weight(layer, 'movingVariance')!;
      const gamma = weight(layer, 'gamma');
      const beta = weight(layer, 'beta');
      v = tf.tidy(() => {
        // y = gamma (x - mean) / sqrt(var + eps) + beta = x * scale + shift (Ioffe & Szegedy 2015, Alg. 1)
        let scale = tf.rsqrt(tf.add(variance, eps));
        if (gamma) scale = tf.mul(scale, gamma);
        let shift = tf.neg(tf.mul(mean, scale));
        if (beta) shift = tf.add(shift, beta);
        return { scale: tf.keep(scale), shift: tf.keep(shift) };
      });
      this.bn.set(node.name, v);
    }
    return v;
  }

  dispose(): void {
    for (const b of this.back.values()) b.dispose();
    this.back.clear();
    for (const v of this.bn.values()) {
      v.scale.dispose();
      v.shift.dispose();
    }
    this.bn.clear();
  }
}

/** A layer's depthwise convolution; dilated or multiplied ones (user models) use tfjs' own op. */
function depthwiseOf(x: tf.Tensor4D, k: tf.Tensor4D, layer: AnyLayer, cache: OpCache) {
  const strides = pair(layer['strides'], 1);
  const dil = pair(layer['dilationRate'], 1);
  const padding = layer['padding'] as Padding;
  if (dil[0] !== 1 || dil[1] !== 1 || k.shape[3] !== 1) {
    return tf.depthwiseConv2d(x, k, strides, padding, 'NHWC', dil);
  }
  return depthwiseConv(x, k, strides, padding, cache.backFilter(k, true));
}

/**
 * Runs one layer with differentiable ops. `linearOutput` drops a final softmax or sigmoid (to get
 * logits).
 */
export function runOp(
  node: GraphNode,
  inputs: tf.Tensor[],
  opts: OpOptions,
  cache: OpCache,
  linearOutput = false,
): tf.Tensor {
  // A custom layer brings its own differentiable op (e.g. a user model's Normalization).
  if (hasHeadOp(node.layer)) return node.layer.headOp(inputs, opts);
  const layer = node.layer as unknown as AnyLayer;
  const x = inputs[0];
  const act = (y: tf.Tensor) => {
    const name = activationName(layer);
    const drop = linearOutput && (name === 'softmax' || name === 'sigmoid');
    return applyActivation(y, drop ? 'linear' : name, opts);
  };
  switch (node.className) {
    case 'InputLayer':
    case 'Dropout':
      return x;
    case 'Conv2D': {
      const k = weight(layer, 'kernel') as tf.Tensor4D;
      const strides = pair(layer['strides'], 1);
      const dil = pair(layer['dilationRate'], 1);
      const padding = layer['padding'] as Padding;
      const y =
        dil[0] === 1 && dil[1] === 1
          ? conv(x as tf.Tensor4D, k, strides, padding, cache.backFilter(k, false))
          : tf.conv2d(x as tf.Tensor4D, k, strides, padding, 'NHWC', dil);
      return act(addBias(y, weight(layer, 'bias')));
    }
    case 'DepthwiseConv2D': {
      const k = weight(layer, 'depthwiseKernel') as tf.Tensor4D;
      const y = depthwiseOf(x as tf.Tensor4D, k, layer, cache);
      return act(addBias(y, weight(layer, 'bias')));
    }
    case 'SeparableConv2D': {
      const dk = weight(layer, 'depthwiseKernel') as tf.Tensor4D;
      const pk = weight(layer, 'pointwiseKernel') as tf.Tensor4D;
      const d = depthwiseOf(x as tf.Tensor4D, dk, layer, cache);
      const y = conv(d, pk, [1, 1], 'valid', cache.backFilter(pk, false));
      return act(addBias(y, weight(layer, 'bias')));
    }
    case 'BatchNormalization': {
      const { scale, shift } = cache.batchNorm(node);
      return tf.add(tf.mul(x, scale), shift);
    }
    case 'Activation':
      return act(x);
    case 'ReLU': {
      const max = layer['maxValue'] as number | null | undefined;
      if (max === null || max === undefined) return applyActivation(x, 'relu', opts);
      if (max === 6) return applyActivation(x, 'relu6', opts);
      return opts.guided ? guidedRelu(x, max) : tf.clipByValue(x, 0, max);
    }
    case 'ZeroPadding2D': {
      const p = layer['padding'] as [[number, number], [number, number]];
      return tf.pad(x, [[0, 0], p[0], p[1], [0, 0]]);
    }
    case 'MaxPooling2D':
    case 'AveragePooling2D': {
      const pool = pair(layer['poolSize'], 2);
      const strides = pair(layer['strides'], pool[0]);
      const padding = layer['padding'] as Padding;
      return node.className === 'MaxPooling2D'
        ? tf.maxPool(x as tf.Tensor4D, pool, strides, padding)
        : tf.avgPool(x as tf.Tensor4D, pool, strides, padding);
    }
    case 'GlobalAveragePooling2D':
      return tf.mean(x, [1, 2], Boolean(layer.getConfig()['keepDims']));
    case 'GlobalMaxPooling2D':
      return tf.max(x, [1, 2], Boolean(layer.getConfig()['keepDims']));
    case 'Add':
      return inputs.length === 1 ? x : tf.addN(inputs);
    case 'Flatten':
      return tf.reshape(x, [x.shape[0], -1]);
    case 'Dense': {
      const k = weight(layer, 'kernel') as tf.Tensor2D;
      // Keras applies Dense to the last axis of an N-D input.
      const flat = x.rank === 2 ? x : tf.reshape(x, [-1, x.shape[x.rank - 1]]);
      let y = addBias(dense(flat as tf.Tensor2D, k), weight(layer, 'bias'));
      if (x.rank !== 2) y = tf.reshape(y, [...x.shape.slice(0, -1), k.shape[1]]);
      return act(y);
    }
    default: {
      const y = runMoreOp(node, inputs);
      if (y) return y;
      throw new Error(
        `Layer ${node.name}: class ${node.className} is not supported by the executor`,
      );
    }
  }
}
