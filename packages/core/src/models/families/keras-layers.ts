// Building blocks shared by the family builders (functional tfjs-layers API, Keras names).
import * as tfl from '@tensorflow/tfjs-layers';

export type Sym = tfl.SymbolicTensor;

/** Applies a layer to symbolic tensors (the functional API). */
export const apply = (layer: tfl.layers.Layer, x: Sym | Sym[]): Sym => layer.apply(x) as Sym;

/** keras.applications' top: Dense(1000, softmax, name='predictions'), Glorot-uniform kernel. */
export const predictions = (x: Sym): Sym =>
  apply(
    tfl.layers.dense({
      units: 1000,
      activation: 'softmax',
      kernelInitializer: 'glorotUniform',
      name: 'predictions',
    }),
    x,
  );
