import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useWasmBackend } from '../testing/node.js';
import { MODEL_IDS, MODELS, getModelSpec } from './registry.js';
import type { ModelId } from './types.js';

beforeAll(useWasmBackend);

/** What keras.applications gives with include_top=True (Keras source and keras.io/api/applications). */
const KERAS: Record<
  ModelId,
  {
    params: number;
    size: number;
    layers: number;
    named: string[];
    absent: string[];
    weighted: number;
  }
> = {
  vgg16: {
    params: 138_357_544,
    size: 224,
    layers: 23,
    weighted: 16,
    named: [
      'input_layer',
      'block1_conv1',
      'block1_pool',
      'block5_conv3',
      'block5_pool',
      'flatten',
      'fc1',
      'fc2',
      'predictions',
    ],
    absent: [],
  },
  resnet50: {
    params: 25_636_712,
    size: 224,
    layers: 177,
    weighted: 107,
    named: [
      'conv1_pad',
      'conv1_conv',
      'conv1_bn',
      'conv1_relu',
      'pool1_pad',
      'pool1_pool',
      'conv2_block1_0_conv',
      'conv2_block1_0_bn',
      'conv2_block1_add',
      'conv2_block1_out',
      'conv3_block4_out',
      'conv4_block6_out',
      'conv5_block1_0_conv',
      'conv5_block3_3_bn',
      'conv5_block3_add',
      'conv5_block3_out',
      'avg_pool',
      'predictions',
    ],
    absent: ['conv2_block2_0_conv', 'probs'],
  },
  mobilenet_v2: {
    params: 3_538_984,
    size: 224,
    layers: 156,
    weighted: 105,
    named: [
      'Conv1',
      'bn_Conv1',
      'Conv1_relu',
      'expanded_conv_depthwise',
      'expanded_conv_depthwise_BN',
      'expanded_conv_depthwise_relu',
      'expanded_conv_project',
      'expanded_conv_project_BN',
      'block_1_expand',
      'block_1_pad',
      'block_1_depthwise',
      'block_2_add',
      'block_13_pad',
      'block_15_add',
      'block_16_project_BN',
      'Conv_1',
      'Conv_1_bn',
      'out_relu',
      'global_average_pooling2d',
      'predictions',
    ],
    // Current Keras has no Conv1_pad (legacy keras-applications had) and no skip around blocks 0, 1, 16.
    absent: [
      'Conv1_pad',
      'expanded_conv_add',
      'block_1_add',
      'block_16_add',
      'block_2_pad',
      'Logits',
    ],
  },
  xception: {
    params: 22_910_480,
    size: 299,
    layers: 134,
    weighted: 81,
    named: [
      'block1_conv1',
      'block1_conv1_bn',
      'block1_conv1_act',
      'block1_conv2_act',
      'conv2d',
      'batch_normalization',
      'add',
      'block2_sepconv2_act',
      'block2_pool',
      'conv2d_1',
      'add_2',
      'block5_sepconv1_act',
      'block12_sepconv3_bn',
      'add_10',
      'conv2d_3',
      'batch_normalization_3',
      'add_11',
      'block13_pool',
      'block14_sepconv1_act',
      'block14_sepconv2_act',
      'avg_pool',
      'predictions',
    ],
    absent: ['block2_sepconv1_act', 'conv2d_4', 'batch_normalization_4', 'add_12'],
  },
};

describe('registry', () => {
  it('lists the four architectures in order', () => {
    expect(MODEL_IDS).toEqual(['vgg16', 'resnet50', 'mobilenet_v2', 'xception']);
    expect(MODELS.map((m) => m.id)).toEqual(MODEL_IDS);
    expect(getModelSpec('xception')).toBe(MODELS[3]);
  });

  it('rejects unknown ids with the valid ones', () => {
    expect(() => getModelSpec('resnet')).toThrow(
      /Unknown model "resnet".*vgg16, resnet50, mobilenet_v2, xception/,
    );
  });

  it.each(MODELS)('$id has complete metadata', (spec) => {
    expect(spec.parameters).toBe(KERAS[spec.id].params);
    expect(spec.inputSize).toBe(KERAS[spec.id].size);
    expect(spec.preprocessing).toBe(spec.id === 'vgg16' || spec.id === 'resnet50' ? 'caffe' : 'tf');
    expect(spec.summary).not.toMatch(/\n/);
    expect(spec.description.length).toBeGreaterThan(200);
    expect(spec.description).toContain(spec.parameters.toLocaleString('en-US'));
    expect(spec.facts.top1).toBeGreaterThan(0.7);
    expect(spec.facts.top5).toBeGreaterThan(spec.facts.top1);
    expect(spec.facts.paper.url).toMatch(/^https:\/\/arxiv\.org\/abs\/\d{4}\.\d{4,5}$/);
    // References print the venue's year, not the preprint's ("CVPR 2016", not 2015).
    expect(spec.facts.paper.venue).toMatch(new RegExp(` ${spec.facts.paper.year}$`));
    expect(spec.facts.paper.year).toBeGreaterThanOrEqual(spec.facts.year);
    expect(spec.weights.url).toBe(
      `https://storage.googleapis.com/tensorflow/keras-applications/${spec.id === 'resnet50' ? 'resnet' : spec.id}/${spec.weights.fileName}`,
    );
    if (spec.id === 'mobilenet_v2') expect(spec.weights.hash).toBeNull();
    else expect(spec.weights.hash?.value).toMatch(/^[0-9a-f]{32}$/);
    expect(spec.weights.bytes).toBeGreaterThan(spec.parameters * 4);
    expect(spec.weights.bytes).toBeLessThan(spec.parameters * 4 * 1.05);
  });
});

describe.each(MODEL_IDS)('%s architecture', (id) => {
  const spec = getModelSpec(id);
  const keras = KERAS[id];
  let model: tfl.LayersModel;
  beforeAll(() => {
    model = spec.build();
  });
  afterAll(() => model?.dispose());

  it('has exactly Keras’ parameter count and layer count', () => {
    expect(model.countParams()).toBe(keras.params);
    expect(model.layers.length).toBe(keras.layers);
    expect(model.layers.filter((l) => l.weights.length > 0).length).toBe(keras.weighted);
  });

  it('names layers like Keras (explicit names, independent of earlier models)', () => {
    const names = model.layers.map((l) => l.name);
    expect(new Set(names).size).toBe(names.length);
    for (const n of [...keras.named, spec.defaultLayer]) expect(names, n).toContain(n);
    for (const n of keras.absent) expect(names, n).not.toContain(n);
    expect(names[0]).toBe('input_layer');
    // A second build gives the same names (no tfjs auto-numbering).
    const again = spec.build();
    expect(again.layers.map((l) => l.name)).toEqual(names);
    again.dispose();
  });

  it('has input [null, S, S, 3], output [null, 1000] softmax, 4-D default layer', () => {
    expect(model.inputs[0]!.shape).toEqual([null, keras.size, keras.size, 3]);
    expect(model.outputs[0]!.shape).toEqual([null, 1000]);
    const top = model.getLayer('predictions').getConfig();
    expect(top.activation).toBe('softmax');
    const shape = model.getLayer(spec.defaultLayer).outputShape as number[];
    expect(shape.length).toBe(4);
    expect(shape[1]).toBe(shape[2]);
  });

  it('uses Keras’ BatchNormalization epsilon, ReLU6 and paddings', () => {
    const bnEps = { vgg16: null, resnet50: 1.001e-5, mobilenet_v2: 1e-3, xception: 1e-3 }[id];
    for (const l of model.layers) {
      const c = l.getConfig();
      if (l.getClassName() === 'BatchNormalization') expect(c.epsilon, l.name).toBe(bnEps);
      if (id === 'mobilenet_v2' && /relu$/.test(l.name)) {
        expect(l.getClassName()).toBe('ReLU');
        expect(c.maxValue).toBe(6);
      }
      if (l.getClassName() === 'Conv2D' || l.getClassName() === 'DepthwiseConv2D') {
        // Only ResNet/VGG convolutions and the Dense layers have biases in Keras.
        expect(c.useBias, l.name).toBe(id === 'vgg16' || id === 'resnet50');
      }
    }
    if (id === 'resnet50') {
      expect(model.getLayer('conv1_pad').getConfig().padding).toEqual([
        [3, 3],
        [3, 3],
      ]);
      expect(model.getLayer('pool1_pad').getConfig().padding).toEqual([
        [1, 1],
        [1, 1],
      ]);
    }
    if (id === 'mobilenet_v2') {
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
    const expectRun = (run: string[]) => {
      const i = names.indexOf(run[0]!);
      expect(names.slice(i, i + run.length)).toEqual(run);
    };
    // Sequences from Keras' model.summary() for these models.
    if (id === 'resnet50') {
      expectRun([
        'conv2_block1_2_relu',
        'conv2_block1_0_conv',
        'conv2_block1_3_conv',
        'conv2_block1_0_bn',
        'conv2_block1_3_bn',
        'conv2_block1_add',
        'conv2_block1_out',
        'conv2_block2_1_conv',
      ]);
    }
    if (id === 'xception') {
      expectRun(['block2_sepconv2_bn', 'conv2d', 'block2_pool', 'batch_normalization', 'add']);
    }
    expect(names.at(-1)).toBe('predictions');
  });
});

describe('forward pass', () => {
  it('MobileNetV2 maps [1, 224, 224, 3] to a [1, 1000] distribution without leaking tensors', () => {
    const model = getModelSpec('mobilenet_v2').build();
    const before = tf.memory().numTensors;
    const y = tf.tidy(() => model.predict(tf.zeros([1, 224, 224, 3])) as tf.Tensor);
    expect(y.shape).toEqual([1, 1000]);
    const sum = tf.sum(y);
    expect(sum.arraySync()).toBeCloseTo(1, 4);
    tf.dispose([y, sum]);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
