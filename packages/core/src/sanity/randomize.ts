// Re-initialising a network's weights in place, and putting the trained ones back exactly.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { weightKey } from '../weights/keras-h5.js';

type Variable = tfl.LayerVariable;

/** The trained values of the variables a randomisation overwrote, to restore them. */
export class WeightSnapshot {
  private readonly saved: Array<{ variable: Variable; value: tf.Tensor }> = [];
  private readonly seen = new Set<Variable>();

  /** Keeps `variable`'s current value (once: the first value is the trained one). */
  save(variable: Variable): void {
    if (this.seen.has(variable)) return;
    this.seen.add(variable);
    // A clone shares the data, which outlives the variable's next `write`.
    this.saved.push({ variable, value: tf.keep(tf.clone(variable.read())) });
  }

  /** Variables saved so far. */
  get size(): number {
    return this.saved.length;
  }

  /** Forgets the saved values, keeping the weights as they are now. */
  discard(): void {
    for (const { value } of this.saved) value.dispose();
    this.saved.length = 0;
    this.seen.clear();
  }

  /** Writes every saved value back (the very same data) and forgets them. */
  restore(): void {
    for (const { variable, value } of this.saved) {
      variable.write(value);
      value.dispose();
    }
    this.saved.length = 0;
    this.seen.clear();
  }
}

/**
 * What a trainable weight is re-drawn from: the initialiser Keras gives it before training, as the
 * family builders declare them (Glorot-uniform kernels; zero biases and batch-norm shifts; unit
 * batch-norm scales). Adebayo et al.'s code re-runs the initialisers of a block's trainable
 * variables the same way; batch-norm moving statistics are not trainable and stay as trained.
 */
export function initialValue(name: string, shape: readonly number[], seed: number): tf.Tensor {
  const key = weightKey(name);
  switch (key) {
    case 'kernel':
    case 'depthwise_kernel':
    case 'pointwise_kernel':
      return glorotUniform(shape, seed);
    case 'bias':
    case 'beta':
      return tf.zeros(shape as number[]);
    case 'gamma':
      return tf.ones(shape as number[]);
    default:
      return shape.length >= 2 ? glorotUniform(shape, seed) : tf.zeros(shape as number[]);
  }
}

/**
 * Glorot & Bengio 2010, eq. 16, as Keras' `GlorotUniform`: U(-l, l) with l = sqrt(6 / (fan_in +
 * fan_out)); a kernel [kh, kw, in, out] has fan_in = kh kw in and fan_out = kh kw out (Keras'
 * `compute_fans`; a depthwise kernel [kh, kw, in, multiplier] alike), a dense one [in, out].
 */
export function glorotUniform(shape: readonly number[], seed: number): tf.Tensor {
  let fanIn: number;
  let fanOut: number;
  if (shape.length === 2) [fanIn, fanOut] = shape;
  else if (shape.length >= 3) {
    const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
    fanIn = shape[shape.length - 2] * receptive;
    fanOut = shape[shape.length - 1] * receptive;
  } else {
    fanIn = fanOut = Math.sqrt(shape.reduce((a, b) => a * b, 1));
  }
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  return tf.randomUniform(shape as number[], -limit, limit, 'float32', seed);
}

/**
 * Re-initialises the trainable weights of `layers` of `model` (see `initialValue`), saving their
 * trained values into `snapshot` first. Deterministic for a given `seed`.
 */
export function randomizeLayers(
  model: tfl.LayersModel,
  layers: readonly string[],
  snapshot: WeightSnapshot,
  seed: number,
): number {
  let count = 0;
  for (const name of layers) {
    const layer = model.getLayer(name);
    layer.weights.forEach((variable, j) => {
      if (!variable.trainable) return;
      snapshot.save(variable);
      // One stream per variable: the same seed gives the same weights whatever else is drawn.
      const shape = variable.read().shape;
      const value = initialValue(variable.name, shape, hashSeed(seed, `${name}/${j}`));
      try {
        variable.write(value);
      } finally {
        value.dispose();
      }
      count++;
    });
  }
  return count;
}

/** A 31-bit seed from a base seed and a label (FNV-1a). */
function hashSeed(seed: number, label: string): number {
  let h = (2166136261 ^ seed) >>> 0;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 16777619) >>> 0;
  }
  return h & 0x7fffffff;
}
