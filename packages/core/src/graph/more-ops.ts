// Differentiable forms of the Keras layers found in user models besides those of the registered
// networks (ops.ts): merges, reshapes, cropping, advanced activations; and the hook through which
// custom layers (a user model's Normalization, Resizing...) bring their own op.
import * as tf from '@tensorflow/tfjs-core';
import type { GraphNode } from './layer-graph.js';
import { elu, type OpOptions } from './activations.js';

/**
 * A layer that brings its own differentiable op (the custom layers user models are built with,
 * e.g. Normalization): the executor differentiates `headOp` instead of a re-implementation.
 */
export interface HeadOpLayer {
  headOp(inputs: tf.Tensor[], opts: OpOptions): tf.Tensor;
}

export function hasHeadOp(layer: unknown): layer is HeadOpLayer {
  return typeof (layer as Partial<HeadOpLayer> | null)?.headOp === 'function';
}

type Fields = Record<string, unknown>;

/** The layer's op, or undefined when the class is not one of these. */
export function runMoreOp(node: GraphNode, inputs: tf.Tensor[]): tf.Tensor | undefined {
  const layer = node.layer as unknown as Fields;
  const x = inputs[0];
  switch (node.className) {
    case 'Multiply':
      return inputs.slice(1).reduce((a, b) => tf.mul(a, b), x);
    case 'Concatenate': {
      const axis = Number(layer['axis'] ?? -1);
      return tf.concat(inputs, axis < 0 ? x.rank + axis : axis);
    }
    case 'Reshape':
      return tf.reshape(x, [x.shape[0], ...(layer['targetShape'] as number[])]);
    case 'Cropping2D': {
      // tfjs-layers keeps [[top, bottom], [left, right]].
      const [[t, b], [l, r]] = layer['cropping'] as [[number, number], [number, number]];
      const [, h, w] = x.shape;
      return tf.slice(x, [0, t, l, 0], [-1, h - t - b, w - l - r, -1]);
    }
    case 'LeakyReLU':
      return tf.leakyRelu(x, Number(layer['alpha']));
    case 'ELU':
      return elu(x, Number(layer['alpha'] ?? 1));
    default:
      return undefined;
  }
}
