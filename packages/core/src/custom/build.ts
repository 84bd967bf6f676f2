// Builds the flattened graph as one functional TensorFlow.js model (every inner layer a node).
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { UserModelError } from './errors.js';
import type { FlatModel } from './flatten.js';
import { buildLayer, CONV_CLASSES } from './layers.js';

export const NEEDS_IMAGE_MODEL =
  'Grad-CAM needs an image model with a convolutional layer (Conv2D, DepthwiseConv2D or SeparableConv2D)';

/** Input [height, width, channels] from the declared batch shape, sizes fixed by a Resizing when open. */
export function inputSize(flat: FlatModel): [number, number, 1 | 3] {
  const shape = flat.input.shape;
  if (shape.length !== 4) {
    throw new UserModelError(
      `${NEEDS_IMAGE_MODEL}: this model's input has shape [${shape.map((d) => d ?? 'None').join(', ')}], ` +
        'not (batch, height, width, channels).',
    );
  }
  let [, h, w] = shape;
  const c = shape[3];
  if (h === null || w === null) {
    // A model that takes any size and resizes first: feed it at the size it resizes to.
    const first = flat.layers.find((l) => l.inputs.includes(flat.input.name));
    if (first?.className === 'Resizing') {
      h = Number(first.config['height']);
      w = Number(first.config['width']);
    } else {
      throw new UserModelError(
        'This model does not fix its input size (height or width is None) and does not resize its ' +
          'input itself: save it with a fixed input size, e.g. keras.Input(shape=(224, 224, 3)).',
      );
    }
  }
  if (c !== 1 && c !== 3) {
    throw new UserModelError(
      `This model takes images with ${c ?? 'an unknown number of'} channels; only 1 (grayscale) ` +
        'or 3 (RGB) channels are supported.',
    );
  }
  return [h!, w!, c];
}

/**
 * The TensorFlow.js model of `flat`, uninitialised weights. On failure every layer built so far is
 * disposed and a UserModelError names the layer.
 */
export function buildFlatModel(flat: FlatModel, name: string): tfl.LayersModel {
  const [h, w, c] = inputSize(flat);
  if (!flat.layers.some((l) => CONV_CLASSES.has(l.className))) {
    throw new UserModelError(`${NEEDS_IMAGE_MODEL}; this model has none.`);
  }
  const before = new Set(Object.keys(tf.engine().registeredVariables));
  try {
    const input = tfl.input({ batchShape: [null, h, w, c], name: flat.input.name });
    const tensors = new Map<string, tfl.SymbolicTensor>([[flat.input.name, input]]);
    // Config order within each model is topological, and nested models come whole: one pass.
    let pending = flat.layers;
    while (pending.length > 0) {
      const next = pending.filter((l) => !l.inputs.every((i) => tensors.has(i)));
      for (const l of pending) {
        if (next.includes(l)) continue;
        const layer = buildLayer(l);
        const ins = l.inputs.map((i) => tensors.get(i)!);
        try {
          tensors.set(l.name, layer.apply(ins.length === 1 ? ins[0]! : ins) as tfl.SymbolicTensor);
        } catch (e) {
          const shapes = ins
            .map((t) => `[${t.shape.map((d) => d ?? 'None').join(', ')}]`)
            .join(' and ');
          throw new UserModelError(
            `Layer "${l.name}" (class ${l.className}) cannot take its input of shape ${shapes}: ` +
              `${(e as Error).message}`,
          );
        }
      }
      if (next.length === pending.length) {
        throw new UserModelError(
          `Layer "${next[0]!.name}" takes an input the model never computes`,
        );
      }
      pending = next;
    }
    const output = tensors.get(flat.output);
    if (!output) throw new UserModelError('The model output is not computed from its input');
    return tfl.model({ inputs: input, outputs: output, name });
  } catch (e) {
    // Dispose what tfjs-layers allocated (variables of layers built before the failure).
    const vars = tf.engine().registeredVariables;
    for (const key of Object.keys(vars)) if (!before.has(key)) vars[key]!.dispose();
    if (e instanceof UserModelError) throw e;
    throw new UserModelError(`The model cannot be built: ${(e as Error).message}`, undefined, {
      cause: e,
    });
  }
}
