// Every registered network, built: Keras' layer names, layer and parameter counts, configuration and
// order, and every layer kind in it runs through the graph executor's differentiable ops.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LayerGraph, type GraphNode } from '../graph/layer-graph.js';
import { OpCache, runOp } from '../graph/ops.js';
import { useWasmBackend } from '../testing/node.js';
import { buildModel } from './build.js';
import { MODELS, getModelSpec } from './registry.js';
import type { FamilyConfig, ModelSpec } from './types.js';

beforeAll(useWasmBackend);

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

interface Architecture<F> {
  /** Layers with include_top=True, and those with weights (keras.io's "Depth" column). */
  layers: (f: F) => number;
  weighted: (f: F) => number;
  /** Layer names Keras gives (besides `input_layer`, `predictions` and the default layer). */
  named: (f: F) => string[];
  absent: (f: F) => string[];
  /** BatchNormalization epsilon (null: none), and whether convolutions have biases. */
  bnEpsilon: number | null;
  convBias: boolean;
  /** A run of layers in Keras' `model.summary()` order (the order Keras' HDF5 loader pairs by). */
  order: string[];
}

/** What keras.applications builds with include_top=True, by family (Keras source, keras.io). */
const FAMILY: { [F in FamilyConfig as F['name']]: Architecture<F> } = {
  vgg: {
    // input, convolutions, five pools, flatten, fc1, fc2, predictions.
    layers: (f) => sum(f.convsPerBlock) + 10,
    weighted: (f) => sum(f.convsPerBlock) + 3,
    named: (f) => [
      ...f.convsPerBlock.flatMap((n, b) => [`block${b + 1}_conv${n}`, `block${b + 1}_pool`]),
      'flatten',
      'fc1',
      'fc2',
    ],
    absent: (f) => [...f.convsPerBlock.map((n, b) => `block${b + 1}_conv${n + 1}`), 'block6_conv1'],
    bnEpsilon: null,
    convBias: true,
    order: ['block1_conv1', 'block1_conv2', 'block1_pool', 'block2_conv1'],
  },
  resnet: {
    // Stem (7 layers), 10 per block plus 2 per projection shortcut, avg_pool and predictions.
    layers: (f) => 17 + 10 * sum(f.blocksPerStack),
    weighted: (f) => 11 + 6 * sum(f.blocksPerStack),
    named: (f) => [
      ...['conv1_pad', 'conv1_conv', 'conv1_bn', 'conv1_relu', 'pool1_pad', 'pool1_pool'],
      ...f.blocksPerStack.flatMap((n, s) =>
        ['block1_0_conv', 'block1_0_bn', `block${n}_3_bn`, `block${n}_add`, `block${n}_out`].map(
          (layer) => `conv${s + 2}_${layer}`,
        ),
      ),
      'avg_pool',
    ],
    absent: (f) => [
      ...f.blocksPerStack.map((n, s) => `conv${s + 2}_block${n + 1}_out`),
      'conv2_block2_0_conv',
      'conv6_block1_out',
      'probs',
    ],
    bnEpsilon: 1.001e-5,
    convBias: true,
    order: [
      'conv2_block1_2_relu',
      'conv2_block1_0_conv',
      'conv2_block1_3_conv',
      'conv2_block1_0_bn',
      'conv2_block1_3_bn',
      'conv2_block1_add',
      'conv2_block1_out',
      'conv2_block2_1_conv',
    ],
  },
  mobilenet_v2: {
    layers: () => 156,
    weighted: () => 105,
    named: () =>
      [
        'Conv1 bn_Conv1 Conv1_relu expanded_conv_depthwise expanded_conv_depthwise_BN',
        'expanded_conv_depthwise_relu expanded_conv_project expanded_conv_project_BN',
        'block_1_expand block_1_pad block_1_depthwise block_2_add block_13_pad block_15_add',
        'block_16_project_BN Conv_1 Conv_1_bn out_relu global_average_pooling2d',
      ].flatMap((line) => line.split(' ')),
    // Current Keras has no Conv1_pad (legacy keras-applications had) and no skip around blocks 0, 1, 16.
    absent: () => [
      'Conv1_pad',
      'expanded_conv_add',
      'block_1_add',
      'block_16_add',
      'block_2_pad',
      'Logits',
    ],
    bnEpsilon: 1e-3,
    convBias: false,
    order: ['block_1_expand', 'block_1_expand_BN', 'block_1_expand_relu', 'block_1_pad'],
  },
  xception: {
    layers: () => 134,
    weighted: () => 81,
    named: () =>
      [
        'block1_conv1 block1_conv1_bn block1_conv1_act block1_conv2_act conv2d batch_normalization',
        'add block2_sepconv2_act block2_pool conv2d_1 add_2 block5_sepconv1_act block12_sepconv3_bn',
        'add_10 conv2d_3 batch_normalization_3 add_11 block13_pool block14_sepconv1_act',
        'block14_sepconv2_act avg_pool',
      ].flatMap((line) => line.split(' ')),
    absent: () => ['block2_sepconv1_act', 'conv2d_4', 'batch_normalization_4', 'add_12'],
    // Keras' BatchNormalization default; xception.py passes only the axis.
    bnEpsilon: 1e-3,
    convBias: false,
    order: ['block2_sepconv2_bn', 'conv2d', 'block2_pool', 'batch_normalization', 'add'],
  },
};

function architectureOf(spec: ModelSpec) {
  const a = FAMILY[spec.family.name] as unknown as Architecture<FamilyConfig>;
  const f = spec.family;
  return {
    ...a,
    layers: a.layers(f),
    weighted: a.weighted(f),
    named: a.named(f),
    absent: a.absent(f),
  };
}

/** The first network of each family (properties of the family builder are checked once). */
const FIRST_OF_FAMILY = new Set(
  MODELS.filter((m, i) => MODELS.findIndex((x) => x.family.name === m.family.name) === i).map(
    (m) => m.id,
  ),
);

/** Layer kinds already run through the executor's ops (by an earlier network). */
const KINDS_RUN = new Set<string>();

/** Layers the executor's ops treat differently: class, activation, ReLU cap, geometry. */
function kindOf(node: GraphNode): string {
  const c = node.layer.getConfig();
  const act = (node.layer as unknown as { activation?: { getClassName(): string } }).activation;
  return JSON.stringify([
    node.className,
    act?.getClassName() ?? null,
    c.maxValue ?? null,
    c.kernelSize ?? null,
    c.strides ?? null,
    c.padding ?? null,
  ]);
}

describe.each(MODELS.map((m) => [m.id, m] as const))('%s architecture', (id, spec) => {
  const keras = architectureOf(spec);
  let model: tfl.LayersModel;
  beforeAll(() => {
    model = buildModel(spec);
  });
  afterAll(() => model?.dispose());

  it('has exactly Keras’ parameter count and layer count', () => {
    expect(model.countParams()).toBe(spec.parameters);
    expect(model.layers.length).toBe(keras.layers);
    expect(model.layers.filter((l) => l.weights.length > 0).length).toBe(keras.weighted);
  });

  it('names layers like Keras (explicit names, independent of earlier models)', () => {
    const names = model.layers.map((l) => l.name);
    expect(new Set(names).size).toBe(names.length);
    for (const n of [...keras.named, spec.defaultLayer]) expect(names, n).toContain(n);
    for (const n of keras.absent) expect(names, n).not.toContain(n);
    expect(names[0]).toBe('input_layer');
    expect(names.at(-1)).toBe('predictions');
    if (FIRST_OF_FAMILY.has(id)) {
      // A second build gives the same names (no tfjs auto-numbering).
      const again = buildModel(spec);
      expect(again.layers.map((l) => l.name)).toEqual(names);
      again.dispose();
    }
  });

  it('has input [null, S, S, 3], output [null, 1000] softmax, 4-D default layer', () => {
    expect(model.inputs[0]!.shape).toEqual([null, spec.inputSize, spec.inputSize, 3]);
    expect(model.outputs[0]!.shape).toEqual([null, 1000]);
    expect(model.getLayer('predictions').getConfig().activation).toBe('softmax');
    const shape = model.getLayer(spec.defaultLayer).outputShape as number[];
    expect(shape.length).toBe(4);
    expect(shape[1]).toBe(shape[2]);
  });

  it('uses Keras’ BatchNormalization epsilon, biases, ReLU6 and paddings', () => {
    for (const l of model.layers) {
      const c = l.getConfig();
      if (l.getClassName() === 'BatchNormalization')
        expect(c.epsilon, l.name).toBe(keras.bnEpsilon);
      if (['Conv2D', 'DepthwiseConv2D', 'SeparableConv2D'].includes(l.getClassName())) {
        expect(c.useBias, l.name).toBe(keras.convBias);
      }
    }
    if (spec.family.name === 'resnet') {
      for (const [name, p] of [
        ['conv1_pad', 3],
        ['pool1_pad', 1],
      ] as const) {
        expect(model.getLayer(name).getConfig().padding).toEqual([
          [p, p],
          [p, p],
        ]);
      }
    }
    if (spec.family.name === 'mobilenet_v2') {
      for (const l of model.layers.filter((x) => /relu$/.test(x.name))) {
        expect(l.getClassName()).toBe('ReLU');
        expect(l.getConfig().maxValue).toBe(6);
      }
      for (const b of [1, 3, 6, 13]) {
        expect(model.getLayer(`block_${b}_pad`).getConfig().padding).toEqual([
          [0, 1],
          [0, 1],
        ]);
        expect(model.getLayer(`block_${b}_depthwise`).getConfig().padding).toBe('valid');
      }
      expect(model.getLayer('block_2_depthwise').getConfig().padding).toBe('same');
    }
  });

  it('orders layers as Keras does (the order its HDF5 loader pairs layers by)', () => {
    const names = model.layers.map((l) => l.name);
    const i = names.indexOf(keras.order[0]!);
    expect(names.slice(i, i + keras.order.length)).toEqual(keras.order);
  });

  it('runs every kind of layer in it through the graph executor’s differentiable ops', () => {
    const graph = new LayerGraph(model);
    expect(graph.camProblem(spec.defaultLayer)).toBeNull();
    const cache = new OpCache();
    const kinds = new Set<string>();
    try {
      for (const node of graph.nodes) {
        const kind = kindOf(node);
        if (node.inputs.length === 0 || kinds.has(kind)) continue;
        kinds.add(kind);
        // A kind already run for an earlier network (e.g. VGG16's for VGG19) is not run again.
        if (KINDS_RUN.has(kind)) continue;
        KINDS_RUN.add(kind);
        tf.tidy(() => {
          const xs = node.inputs.map((i, k) =>
            tf.randomUniform([1, ...graph.node(i).shape], -1, 1, 'float32', k + 1),
          );
          const own = node.layer.call(xs.length === 1 ? xs[0]! : xs, {}) as tf.Tensor;
          const dy = tf.randomUniform(own.shape, -1, 1, 'float32', 7);
          for (const guided of [false, true]) {
            const f = (...ins: tf.Tensor[]) => runOp(node, ins, { guided }, cache);
            const y = f(...xs);
            const scale = Math.max(1e-6, tf.max(tf.abs(own)).dataSync()[0]!);
            const error = tf.max(tf.abs(tf.sub(y, own))).dataSync()[0]!;
            expect(error / scale, `${node.name} (${kind})`).toBeLessThan(1e-3);
            const grads = tf.grads(f)(xs, dy);
            grads.forEach((g, k) => {
              expect(g.shape, node.name).toEqual(xs[k]!.shape);
              expect(tf.all(tf.isFinite(g)).dataSync()[0], node.name).toBe(1);
            });
          }
        });
      }
    } finally {
      cache.dispose();
    }
    // Every class in the network is among the kinds run.
    const classes = new Set(graph.nodes.filter((n) => n.inputs.length > 0).map((n) => n.className));
    expect(new Set([...kinds].map((k) => JSON.parse(k)[0]))).toEqual(classes);
  });
});

describe('forward pass', () => {
  it('MobileNetV2 maps [1, 224, 224, 3] to a [1, 1000] distribution without leaking tensors', () => {
    const model = buildModel(getModelSpec('mobilenet_v2'));
    const before = tf.memory().numTensors;
    const y = tf.tidy(() => model.predict(tf.zeros([1, 224, 224, 3])) as tf.Tensor);
    expect(y.shape).toEqual([1, 1000]);
    const total = tf.sum(y);
    expect(total.arraySync()).toBeCloseTo(1, 4);
    tf.dispose([y, total]);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
