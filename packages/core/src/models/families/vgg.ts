// The VGG family as in keras-team/keras `keras/src/applications/vgg16.py` and `vgg19.py` (include_top=True,
// 1000 classes): the two files differ only in the number of convolutions in blocks 3, 4 and 5.
// Simonyan & Zisserman, "Very Deep Convolutional Networks for Large-Scale Image Recognition", ICLR 2015.
import * as tfl from '@tensorflow/tfjs-layers';
import type { ModelSpec, VggFamily } from '../types.js';
import { apply, predictions, type Sym } from './keras-layers.js';

/** Filters of the five blocks of 3x3 same-padded ReLU convolutions. */
const FILTERS = [64, 128, 256, 512, 512] as const;

const dense = (x: Sym, units: number, name: string) =>
  apply(
    tfl.layers.dense({ units, activation: 'relu', kernelInitializer: 'glorotUniform', name }),
    x,
  );

/** `VGG16(...)` / `VGG19(...)`; the Keras model name is the id ('vgg16', 'vgg19'). */
export function buildVgg(spec: ModelSpec, family: VggFamily): tfl.LayersModel {
  if (family.convsPerBlock.length !== FILTERS.length) {
    throw new Error(`${spec.id}: a VGG has ${FILTERS.length} blocks`);
  }
  // Keras 3 names an unnamed Input `input_layer`.
  const input = tfl.input({ shape: [spec.inputSize, spec.inputSize, 3], name: 'input_layer' });
  let x: Sym = input;
  FILTERS.forEach((filters, b) => {
    for (let i = 1; i <= family.convsPerBlock[b]; i++) {
      // Conv2D with activation='relu': tfjs runs it as one fused conv+bias+ReLU kernel.
      x = apply(
        tfl.layers.conv2d({
          filters,
          kernelSize: 3,
          padding: 'same',
          activation: 'relu',
          kernelInitializer: 'glorotUniform',
          name: `block${b + 1}_conv${i}`,
        }),
        x,
      );
    }
    x = apply(tfl.layers.maxPooling2d({ poolSize: 2, strides: 2, name: `block${b + 1}_pool` }), x);
  });
  x = apply(tfl.layers.flatten({ name: 'flatten' }), x);
  x = dense(x, 4096, 'fc1');
  x = dense(x, 4096, 'fc2');
  x = predictions(x);
  return tfl.model({ inputs: input, outputs: x, name: spec.id });
}
