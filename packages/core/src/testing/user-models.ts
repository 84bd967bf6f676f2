// Small TensorFlow.js models with the layer classes found in real user models, for the user-model
// tests (saved in each format by user-fixtures.ts).
import * as tfl from '@tensorflow/tfjs-layers';
import { randomizeWeights } from './user-fixtures.js';

type Sym = tfl.SymbolicTensor;
const on = (layer: tfl.layers.Layer, x: Sym | Sym[]) => layer.apply(x) as Sym;

/**
 * A functional model on a non-square input with convolutions (plain, depthwise, separable),
 * batch norm, merges (Add, Multiply, Concatenate), activations (ReLU6, LeakyReLU, ELU, swish,
 * gelu, selu, tanh, sigmoid), padding, cropping, Rescaling, pooling, Flatten/Reshape, Dropout.
 */
export function zooModel(): tfl.LayersModel {
  const inp = tfl.input({ shape: [20, 16, 3], name: 'image' });
  const L = tfl.layers;
  let x = on(L.rescaling({ scale: 1 / 127.5, offset: -1, name: 'rescaling' }), inp);
  x = on(
    L.zeroPadding2d({
      padding: [
        [1, 1],
        [1, 1],
      ],
      name: 'pad',
    }),
    x,
  );
  x = on(L.conv2d({ filters: 6, kernelSize: 3, activation: 'relu', name: 'conv_a' }), x);
  x = on(L.batchNormalization({ name: 'bn_a' }), x);
  let a = on(L.depthwiseConv2d({ kernelSize: 3, padding: 'same', name: 'dw' }), x);
  a = on(L.reLU({ maxValue: 6, name: 'dw_relu6' }), a);
  const b = on(
    L.separableConv2d({
      filters: 6,
      kernelSize: 3,
      padding: 'same',
      activation: 'swish',
      name: 'sep',
    }),
    x,
  );
  const m = on(L.add({ name: 'add' }), [a, b]);
  const m2 = on(L.multiply({ name: 'mul' }), [m, x]);
  let c = on(L.concatenate({ name: 'cat' }), [m2, x]);
  c = on(L.leakyReLU({ alpha: 0.2, name: 'leaky' }), c);
  c = on(
    L.conv2d({
      filters: 8,
      kernelSize: 3,
      strides: 2,
      padding: 'same',
      activation: 'gelu',
      name: 'conv_b',
    }),
    c,
  );
  c = on(L.elu({ name: 'elu' }), c);
  c = on(L.activation({ activation: 'selu', name: 'selu' }), c);
  c = on(
    L.cropping2D({
      cropping: [
        [1, 1],
        [0, 0],
      ],
      name: 'crop',
    }),
    c,
  );
  const p1 = on(L.maxPooling2d({ poolSize: 2, name: 'maxpool' }), c);
  const p2 = on(L.averagePooling2d({ poolSize: 2, name: 'avgpool' }), c);
  let p = on(L.concatenate({ name: 'cat_pool' }), [p1, p2]);
  p = on(
    L.reshape({ targetShape: [4, 4, 16], name: 'reshape' }),
    on(L.flatten({ name: 'flat' }), p),
  );
  const last = on(
    L.conv2d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'tanh', name: 'conv_last' }),
    p,
  );
  const g = on(L.concatenate({ name: 'cat_gp' }), [
    on(L.globalAveragePooling2d({ name: 'gap' }), last),
    on(L.globalMaxPooling2d({ name: 'gmp' }), last),
  ]);
  let h = on(L.dense({ units: 12, activation: 'sigmoid', name: 'fc' }), g);
  h = on(L.dropout({ rate: 0.3, name: 'drop' }), h);
  h = on(L.activation({ activation: 'elu', name: 'fc_elu' }), h);
  const out = on(L.dense({ units: 5, activation: 'softmax', name: 'predictions' }), h);
  const model = tfl.model({ inputs: inp, outputs: out, name: 'zoo' });
  randomizeWeights(model, 3);
  return model;
}

/** The body of the Teachable Machine–style model: conv stem, ReLU6, depthwise, 1x1 conv. */
function body(input: Sym): Sym {
  const L = tfl.layers;
  let x = on(
    L.conv2d({
      filters: 8,
      kernelSize: 3,
      strides: 2,
      padding: 'same',
      useBias: false,
      name: 'Conv1',
    }),
    input,
  );
  x = on(L.batchNormalization({ name: 'bn_Conv1' }), x);
  x = on(L.reLU({ maxValue: 6, name: 'Conv1_relu' }), x);
  x = on(L.depthwiseConv2d({ kernelSize: 3, padding: 'same', useBias: false, name: 'dw' }), x);
  x = on(L.conv2d({ filters: 12, kernelSize: 1, name: 'Conv_1' }), x);
  return on(L.reLU({ maxValue: 6, name: 'out_relu' }), x);
}

const head = (inputShape?: number[]) => [
  tfl.layers.dense({
    units: 10,
    activation: 'relu',
    name: 'dense_Dense3',
    ...(inputShape && { inputShape }),
  }),
  tfl.layers.dense({ units: 3, activation: 'softmax', useBias: false, name: 'dense_Dense4' }),
];

/**
 * Teachable Machine's layout: Sequential > Sequential > Functional, so the Grad-CAM layer
 * (`Conv_1`) sits two levels down; and the same layers in one flat functional model.
 */
export function nestedAndFlat(): { nested: tfl.LayersModel; flat: tfl.LayersModel } {
  const inner = tfl.input({ shape: [24, 24, 3], name: 'input_1' });
  const model2 = tfl.model({ inputs: inner, outputs: body(inner), name: 'model2' });
  const s5 = tfl.sequential({
    name: 'sequential_5',
    layers: [model2, tfl.layers.globalAveragePooling2d({ name: 'gap' })],
  });
  const [d3, d4] = head([12]);
  const s7 = tfl.sequential({ name: 'sequential_7', layers: [d3!, d4!] });
  const nested = tfl.sequential({ name: 'sequential_8', layers: [s5, s7] });
  randomizeWeights(nested, 5);

  const input = tfl.input({ shape: [24, 24, 3], name: 'input_1' });
  let x = on(tfl.layers.globalAveragePooling2d({ name: 'gap' }), body(input));
  for (const l of head()) x = on(l, x);
  const flat = tfl.model({ inputs: input, outputs: x, name: 'flat' });
  const byName = new Map(nested.weights.map((w) => [w.originalName, w]));
  for (const w of flat.weights) w.write(byName.get(w.originalName)!.read());
  return { nested, flat };
}

/** One sigmoid unit (cat vs dog style), Sequential without an InputLayer in its config. */
export function sigmoidModel(): tfl.LayersModel {
  const model = tfl.sequential({
    name: 'binary',
    layers: [
      tfl.layers.conv2d({
        inputShape: [16, 16, 3],
        filters: 4,
        kernelSize: 3,
        activation: 'relu',
        name: 'conv2d',
      }),
      tfl.layers.maxPooling2d({ poolSize: 2, name: 'pool' }),
      tfl.layers.flatten({ name: 'flatten' }),
      tfl.layers.dense({ units: 1, activation: 'sigmoid', name: 'dense' }),
    ],
  });
  randomizeWeights(model, 7);
  return model;
}

/** Grayscale input, raw logits (no final activation). */
export function grayLogitsModel(): tfl.LayersModel {
  const model = tfl.sequential({
    name: 'gray',
    layers: [
      tfl.layers.conv2d({
        inputShape: [12, 10, 1],
        filters: 4,
        kernelSize: 3,
        activation: 'relu',
        name: 'conv2d',
      }),
      tfl.layers.globalAveragePooling2d({ name: 'gap' }),
      tfl.layers.dense({ units: 3, name: 'logits' }),
    ],
  });
  randomizeWeights(model, 9);
  return model;
}

/** Dense layers on a 1-D input: not an image model. */
export function denseOnlyModel(): tfl.LayersModel {
  return tfl.sequential({
    name: 'tabular',
    layers: [
      tfl.layers.dense({ inputShape: [8], units: 4, activation: 'relu', name: 'dense' }),
      tfl.layers.dense({ units: 2, activation: 'softmax', name: 'dense_1' }),
    ],
  });
}
