// Layer classes that tfjs-layers lacks or implements differently (Normalization, Resizing,
// augmentation, keepdims pooling, general ReLU, ELU alpha), checked against equivalent models,
// and the executor's differentiable head against the forward pass.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { useWasmBackend } from '../testing/node.js';
import { kerasH5, randomizeWeights, tfjsFiles } from '../testing/user-fixtures.js';
import { zooModel } from '../testing/user-models.js';
import { loadUserModel } from './load.js';
import { PiecewiseLinearUnitLayer } from './tf-layers.js';

beforeAll(useWasmBackend);

type Json = Record<string, unknown>;
const layersOf = (c: Json) => (c['config'] as Json)['layers'] as Json[];
const x8 = () =>
  tf.tensor4d(
    Float32Array.from({ length: 192 }, (_, i) => (i * 37) % 256),
    [1, 8, 8, 3],
  );

/** Rescaling(0.5, -0.25) -> conv -> global average pooling -> softmax. */
function base(rescale = true): tfl.LayersModel {
  const L = tfl.layers;
  const layers: tfl.layers.Layer[] = [
    ...(rescale
      ? [L.rescaling({ scale: 0.5, offset: -0.25, inputShape: [8, 8, 3], name: 'rescaling' })]
      : []),
    L.conv2d({
      filters: 4,
      kernelSize: 3,
      activation: 'relu',
      name: 'conv2d',
      ...(!rescale && { inputShape: [8, 8, 3] }),
    }),
    L.globalAveragePooling2d({ name: 'gap' }),
    L.dense({ units: 3, activation: 'softmax', name: 'dense' }),
  ];
  const m = tfl.sequential({ name: 'base', layers });
  randomizeWeights(m, 11);
  return m;
}

async function expectSame(bytes: Uint8Array, ref: tfl.LayersModel) {
  const user = await loadUserModel([{ name: 'edited.h5', bytes }]);
  const x = x8();
  const want = tf.tidy(() => (ref.predict(x) as tf.Tensor).dataSync());
  const a = user.explainer.analyzeInput(x);
  try {
    want.forEach((v, i) => expect(Math.abs(a.probabilities[i]! - v)).toBeLessThan(1e-5));
    return user.info;
  } finally {
    a.dispose();
    user.explainer.dispose();
  }
}

describe('in-model preprocessing and inference-time identities', () => {
  it('Normalization (mean/variance in the config), augmentation layers, keepdims pooling', async () => {
    const ref = base();
    // (x - 0.5) / sqrt(4) = 0.5 x - 0.25: the same as the reference's Rescaling.
    const bytes = await kerasH5(ref, {
      edit: (c) => {
        const layers = layersOf(c);
        const input = (layers[0]!['config'] as Json)['batch_input_shape'];
        layers.splice(
          0,
          1,
          {
            class_name: 'Normalization',
            config: {
              name: 'normalization',
              batch_input_shape: input,
              axis: -1,
              mean: [0.5, 0.5, 0.5],
              variance: [4, 4, 4],
            },
          },
          { class_name: 'RandomFlip', config: { name: 'random_flip', mode: 'horizontal' } },
          { class_name: 'RandomRotation', config: { name: 'random_rotation', factor: 0.1 } },
        );
        const gap = layers.findIndex((l) => (l['config'] as Json)['name'] === 'gap');
        (layers[gap]!['config'] as Json)['keepdims'] = true;
        layers.splice(gap + 1, 0, { class_name: 'Flatten', config: { name: 'flatten' } });
      },
    });
    const info = await expectSame(bytes, ref);
    expect(info.identities).toEqual([
      'random_flip (RandomFlip)',
      'random_rotation (RandomRotation)',
    ]);
    expect(info.preprocessing).toMatchObject({
      mode: 'raw',
      inModel: ['normalization'],
      known: true,
    });
    ref.dispose();
  });

  it('Normalization adapted on data: mean and variance are weights (count ignored)', async () => {
    const ref = base();
    const bytes = await kerasH5(ref, {
      keras3: true,
      edit: (c) => {
        const layers = layersOf(c);
        const input = (layers[0]!['config'] as Json)['batch_input_shape'];
        layers[0] = {
          class_name: 'Normalization',
          config: {
            name: 'normalization',
            batch_input_shape: input,
            axis: [3],
            mean: null,
            variance: null,
          },
        };
      },
      extra: {
        normalization: [
          ['normalization/mean:0', new Float32Array([0.5, 0.5, 0.5]), [3]],
          ['normalization/variance:0', new Float32Array([4, 4, 4]), [3]],
        ],
      },
    });
    await expectSame(bytes, ref);
    ref.dispose();
  });

  it('Resizing after an input of any size: the model is fed at the size it resizes to', async () => {
    const ref = base(false);
    const bytes = await kerasH5(ref, {
      edit: (c) => {
        const layers = layersOf(c);
        delete (layers[0]!['config'] as Json)['batch_input_shape'];
        layers.unshift(
          {
            class_name: 'InputLayer',
            config: { name: 'img', batch_input_shape: [null, null, null, 3] },
          },
          {
            class_name: 'Resizing',
            config: { name: 'resizing', height: 8, width: 8, interpolation: 'bilinear' },
          },
        );
      },
    });
    const info = await expectSame(bytes, ref);
    expect(info.input).toEqual({ height: 8, width: 8, channels: 3 });
    ref.dispose();
  });

  it('ReLU with threshold and negative slope, ELU with alpha, as Keras defines them', () => {
    const x = tf.tensor1d([-3, -1, 0, 0.5, 1, 2, 5, 9]);
    const relu = new PiecewiseLinearUnitLayer('r', 'ReLU', {
      maxValue: 6,
      negativeSlope: 0.1,
      threshold: 1,
    });
    const elu = new PiecewiseLinearUnitLayer('e', 'ELU', { alpha: 0.5 });
    const keras = (v: number) => (v >= 6 ? 6 : v >= 1 ? v : 0.1 * (v - 1));
    expect(Array.from(relu.headOp([x]).dataSync())).toEqual(
      Array.from(x.dataSync(), (v) => Math.fround(keras(v))),
    );
    Array.from(elu.headOp([x]).dataSync()).forEach((v, i) => {
      const xi = x.dataSync()[i]!;
      expect(v).toBeCloseTo(xi > 0 ? xi : 0.5 * Math.expm1(xi), 6);
    });
    x.dispose();
  });
});

describe("the executor's differentiable head", () => {
  it('reproduces the forward pass from an early layer through every new layer class', async () => {
    const ref = zooModel();
    const user = await loadUserModel(await tfjsFiles(ref));
    const ex = user.explainer.executor;
    const x = tf.tensor4d(
      Float32Array.from({ length: 960 }, (_, i) => (i * 53) % 256),
      [1, 20, 16, 3],
    );
    try {
      for (const target of ['bn_a', 'cat', 'selu', 'reshape']) {
        const { logits, kept } = ex.forward(x, ex.keepFor(target));
        const side = new Map([...kept].filter(([k]) => k !== target));
        for (const guided of [false, true]) {
          const head = tf.tidy(() =>
            ex.head(target, kept.get(target)!, side, { guided }).dataSync(),
          );
          logits.dataSync().forEach((v, i) => expect(Math.abs(head[i]! - v)).toBeLessThan(1e-4));
        }
        logits.dispose();
        kept.forEach((t) => t.dispose());
      }
      // Every gradient-based method runs at a layer whose head holds every new op.
      const a = user.explainer.analyzeInput(tf.clone(x));
      for (const method of ['gradcam', 'guided-backprop', 'layercam']) {
        const e = await a.explain({ method, layer: 'bn_a' });
        const values = e.output.kind === 'layer' ? e.output.values : e.output.magnitude;
        expect(values.every(Number.isFinite)).toBe(true);
      }
      a.dispose();
    } finally {
      x.dispose();
      user.explainer.dispose();
      ref.dispose();
    }
  });
});

describe('dilated and multiplied depthwise convolutions', () => {
  it('the head computes them as the forward pass does', async () => {
    const L = tfl.layers;
    const m = tfl.sequential({
      name: 'dilated',
      layers: [
        L.conv2d({ inputShape: [12, 12, 3], filters: 4, kernelSize: 3, name: 'conv2d' }),
        L.depthwiseConv2d({ kernelSize: 3, dilationRate: 2, padding: 'same', name: 'dw_dilated' }),
        L.separableConv2d({ filters: 4, kernelSize: 3, depthMultiplier: 2, name: 'sep_x2' }),
        L.globalAveragePooling2d({ name: 'gap' }),
        L.dense({ units: 2, activation: 'softmax', name: 'dense' }),
      ],
    });
    randomizeWeights(m, 4);
    // tfjs-layers leaves depth_multiplier out of SeparableConv2D's config; Keras writes it.
    const bytes = await kerasH5(m, {
      edit: (c) => {
        const sep = layersOf(c).find((l) => (l['config'] as Json)['name'] === 'sep_x2')!;
        (sep['config'] as Json)['depth_multiplier'] = 2;
      },
    });
    const user = await loadUserModel([{ name: 'dilated.h5', bytes }]);
    const ex = user.explainer.executor;
    const x = tf.tensor4d(
      Float32Array.from({ length: 432 }, (_, i) => (i * 31) % 256),
      [1, 12, 12, 3],
    );
    try {
      const { logits, kept } = ex.forward(x, ex.keepFor('conv2d'));
      const head = tf.tidy(() =>
        ex.head('conv2d', kept.get('conv2d')!, new Map(), { guided: false }).dataSync(),
      );
      logits.dataSync().forEach((v, i) => expect(Math.abs(head[i]! - v)).toBeLessThan(1e-4));
      logits.dispose();
      kept.forEach((t) => t.dispose());
    } finally {
      x.dispose();
      user.explainer.dispose();
      m.dispose();
    }
  });
});

describe('the default target layer', () => {
  it('is the last convolution; a 1x1 map gets a warning naming the deepest usable layer', async () => {
    const L = tfl.layers;
    const m = tfl.sequential({
      name: 'tiny',
      layers: [
        L.conv2d({
          inputShape: [8, 8, 3],
          filters: 4,
          kernelSize: 3,
          activation: 'relu',
          name: 'conv2d',
        }),
        L.maxPooling2d({ poolSize: 2, name: 'pool' }),
        L.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', name: 'conv2d_1' }),
        L.flatten({ name: 'flatten' }),
        L.dense({ units: 2, activation: 'softmax', name: 'dense' }),
      ],
    });
    randomizeWeights(m, 2);
    const user = await loadUserModel(await tfjsFiles(m));
    try {
      expect(user.info.defaultLayer).toBe('conv2d_1');
      expect(user.info.warnings).toEqual([
        {
          code: 'tiny-map',
          message: expect.stringMatching(
            /"conv2d_1", has a 1x1 map: a map there is one colour\. "pool" \(3x3\) is the deepest layer with a usable map/,
          ),
          suggestion: 'pool',
        },
      ]);
    } finally {
      user.explainer.dispose();
      m.dispose();
    }
  });
});
