import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from '../models/build.js';
import { MODEL_IDS, getModelSpec } from '../models/registry.js';
import type { FamilyName, ModelSpec } from '../models/types.js';
import {
  fileLayout,
  generateWeightsFile,
  generatedValues,
  type GenerateOptions,
} from '../testing/generate-weights.js';
import { useWasmBackend } from '../testing/node.js';
import { WeightsError, assignWeights, planWeights, type Matching } from './assign.js';
import { readKerasWeights, type KerasWeightsLayout } from './keras-h5.js';
import { loadModelWeights } from './load.js';
import { fileParameterCount, identifyArchitecture } from './identify.js';
import { MODELS } from '../models/registry.js';

beforeAll(useWasmBackend);

const SEED = 11;

/** Index of the first element where a and b differ, -1 when equal (toEqual is slow on big arrays). */
function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

/** Copies of every weight of the model, to prove a failed load left it untouched. */
function snapshot(model: tfl.LayersModel): Float32Array[] {
  return model.weights.map((w) => (w.read().dataSync() as Float32Array).slice());
}

function expectUnchanged(model: tfl.LayersModel, before: Float32Array[]) {
  const after = snapshot(model);
  expect(after.length).toBe(before.length);
  after.forEach((a, i) => expect(firstDifference(a, before[i]!), model.weights[i]!.name).toBe(-1));
}

/** Expects model layer `layer`'s weight `key` to hold what the generator stored for it. */
function expectLanded(
  model: tfl.LayersModel,
  spec: ModelSpec,
  options: GenerateOptions,
  layer: string,
  key: string,
) {
  const fileLayer = fileLayout(spec, model, options).find((l) => l.modelLayer === layer)!;
  const w = fileLayer.weights.find((x) => x.key === key)!;
  const variable = model.getLayer(layer).weights.find((v) => v.originalName.endsWith(`/${key}`))!;
  const actual = variable.read().dataSync();
  const expected = generatedValues(options.seed ?? 1, fileLayer.name, w.name, w.shape);
  expect(firstDifference(actual, expected), `${layer}/${key}`).toBe(-1);
}

async function readGenerated(spec: ModelSpec, options: GenerateOptions, model: tfl.LayersModel) {
  const path = await generateWeightsFile(spec, options, model);
  return readKerasWeights(new Uint8Array(readFileSync(path)), basename(path));
}

/**
 * Per family (every official file of a family has the same legacy names): a generated file with those
 * names, the pairing Keras' rule must find, and weights to compare (first conv, a BN moving variance,
 * the last Dense bias, ...; layers every member of the family has).
 */
const CASES: Record<
  FamilyName,
  { matching: Matching; renamed: Array<[string, string]>; check: Array<[string, string]> }
> = {
  // Keras 1 weight names (block1_conv1_W_1:0): paired by position within each layer.
  vgg: {
    matching: 'name',
    renamed: [],
    check: [
      ['block1_conv1', 'kernel'],
      ['block5_conv3', 'bias'],
      // 64 MiB: read from the file in slices.
      ['fc2', 'kernel'],
      ['predictions', 'bias'],
    ],
  },
  resnet: {
    matching: 'name+order',
    renamed: [['predictions', 'probs']],
    check: [
      ['conv1_conv', 'kernel'],
      ['conv3_block2_2_bn', 'moving_variance'],
      ['conv5_block3_3_bn', 'gamma'],
      ['predictions', 'kernel'],
      ['predictions', 'bias'],
    ],
  },
  mobilenet_v2: {
    matching: 'name+order',
    renamed: [['predictions', 'Logits']],
    check: [
      ['Conv1', 'kernel'],
      ['block_5_depthwise', 'depthwise_kernel'],
      ['block_16_project_BN', 'moving_variance'],
      ['predictions', 'bias'],
    ],
  },
  // Residual layers numbered from 1 in the file: same names mean different layers, so only Keras'
  // order rule fits.
  xception: {
    matching: 'order',
    renamed: [
      ['conv2d', 'conv2d_1'],
      ['batch_normalization_3', 'batch_normalization_4'],
    ],
    check: [
      ['block1_conv1', 'kernel'],
      ['block4_sepconv2', 'pointwise_kernel'],
      ['batch_normalization_3', 'moving_variance'],
      ['block14_sepconv2_bn', 'gamma'],
      ['predictions', 'bias'],
    ],
  },
};

/** What a file generated with `options` declares (names and shapes), without writing it. */
function declaredLayout(
  spec: ModelSpec,
  model: tfl.LayersModel,
  options: GenerateOptions,
): KerasWeightsLayout {
  const layers = fileLayout(spec, model, options);
  return {
    sourceName: `${spec.id}.h5`,
    layerNames: layers.map((l) => l.name),
    layers: new Map(
      layers.map((l) => [l.name, l.weights.map(({ name, shape }) => ({ name, shape }))]),
    ),
  };
}

// Structural: the official layout of every registered network pairs as Keras pairs it. Shapes only,
// so even VGG19 takes seconds (no 575 MB file is written or read); the values are checked below.
describe.each(MODEL_IDS)('%s: the official layout with legacy names', (id) => {
  it('pairs every layer as Keras does, and every declared shape fits', () => {
    const spec = getModelSpec(id);
    const c = CASES[spec.family.name];
    const options: GenerateOptions = { legacy: true, seed: SEED };
    const model = buildModel(spec);
    try {
      const layout = declaredLayout(spec, model, options);
      expect(fileParameterCount(layout)).toBe(spec.parameters);
      expect(identifyArchitecture(layout, MODELS)?.id).toBe(id);
      const plan = planWeights(model, layout);
      expect(plan.matching).toBe(c.matching);
      const renamed = plan.pairs
        .filter((p) => p.layer.name !== p.fileLayer)
        .map((p) => ({ layer: p.layer.name, fileLayer: p.fileLayer }));
      for (const [layer, fileLayer] of c.renamed)
        expect(renamed).toContainEqual({ layer, fileLayer });
      if (c.matching !== 'order') expect(renamed.length).toBe(c.renamed.length);
      const files = fileLayout(spec, model, options);
      for (const [layer, key] of c.check) {
        const pair = plan.pairs.find((p) => p.layer.name === layer)!;
        const j = pair.layer.weights.findIndex((v) => v.originalName.endsWith(`/${key}`));
        const written = files
          .find((l) => l.modelLayer === layer)!
          .weights.find((w) => w.key === key)!;
        expect(pair.values[j]!.name, `${layer}/${key}`).toBe(written.name);
      }
    } finally {
      model.dispose();
    }
  });
});

// One real read of a generated file with legacy names, value by value, then a forward pass.
describe('mobilenet_v2: generated file with the official layout and legacy names', () => {
  it('loads, every checked weight holds the file’s values, and the network runs', async () => {
    const spec = getModelSpec('mobilenet_v2');
    const c = CASES.mobilenet_v2;
    const options: GenerateOptions = { legacy: true, seed: SEED };
    const model = buildModel(spec);
    try {
      const file = await readGenerated(spec, options, model);
      const tensorsBefore = tf.memory().numTensors;
      const report = assignWeights(model, file);
      expect(tf.memory().numTensors).toBe(tensorsBefore);
      expect(report.matching).toBe(c.matching);
      expect(report.parameters).toBe(spec.parameters);
      for (const [layer, key] of c.check) expectLanded(model, spec, options, layer, key);

      const y = tf.tidy(
        () => model.predict(tf.ones([1, spec.inputSize, spec.inputSize, 3])) as tf.Tensor,
      );
      expect(y.shape).toEqual([1, 1000]);
      const p = y.dataSync() as Float32Array;
      y.dispose();
      expect(p.every(Number.isFinite)).toBe(true);
      expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 3);
    } finally {
      model.dispose();
    }
  });
});

describe('loadModelWeights', () => {
  it('builds and loads a current-names file by name without leaking tensors', async () => {
    const spec = getModelSpec('mobilenet_v2');
    const bytes = new Uint8Array(readFileSync(await generateWeightsFile(spec, { seed: SEED })));
    const before = tf.memory().numTensors;
    let report: ReturnType<typeof assignWeights> | undefined;
    const model = await loadModelWeights(spec, bytes, 'gen.h5', (r) => (report = r));
    expect(report?.matching).toBe('name');
    expect(report?.renamed).toEqual([]);
    expectLanded(model, spec, { seed: SEED }, 'expanded_conv_project_BN', 'moving_mean');
    const y = tf.tidy(() => model.predict(tf.zeros([1, 224, 224, 3])) as tf.Tensor);
    y.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects a non-HDF5 file before building the model', async () => {
    const before = tf.memory().numTensors;
    await expect(
      loadModelWeights(getModelSpec('vgg16'), new Uint8Array(100), 'x.bin'),
    ).rejects.toThrow(/"x\.bin" is not an HDF5 file/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('names both networks when the file belongs to another architecture', async () => {
    const bytes = new Uint8Array(
      readFileSync(await generateWeightsFile(getModelSpec('mobilenet_v2'), { seed: SEED })),
    );
    const file = await readKerasWeights(bytes, 'mnv2.h5');
    expect(fileParameterCount(file)).toBe(3_538_984);
    expect(identifyArchitecture(file, MODELS)?.id).toBe('mobilenet_v2');
    const before = tf.memory().numTensors;
    const error = await loadModelWeights(getModelSpec('resnet50'), bytes, 'mnv2.h5').catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(WeightsError);
    expect((error as Error).message).toBe(
      'Weights file "mnv2.h5" holds MobileNetV2 weights, not ResNet50 weights ' +
        '(choose MobileNetV2, or use resnet50_weights_tf_dim_ordering_tf_kernels.h5)',
    );
    expect(tf.memory().numTensors).toBe(before);
  });

  it('disposes the model when the file does not fit', async () => {
    const mnv2 = getModelSpec('mobilenet_v2');
    const options = { seed: SEED, shapeOverrides: { 'block_16_project/kernel': [1, 1, 960, 321] } };
    const template = buildModel(mnv2);
    const bytes = new Uint8Array(readFileSync(await generateWeightsFile(mnv2, options, template)));
    template.dispose();
    const before = tf.memory().numTensors;
    await expect(loadModelWeights(mnv2, bytes, 'wrong.h5')).rejects.toThrow(/block_16_project/);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('faults: clear errors naming the file and the first mismatch, model untouched', () => {
  const mnv2 = getModelSpec('mobilenet_v2');
  let good: Uint8Array;
  beforeAll(async () => {
    good = new Uint8Array(readFileSync(await generateWeightsFile(mnv2, { seed: SEED })));
  });

  /** Reads and assigns `bytes` into a fresh model of `spec`, expecting `message`; checks nothing changed. */
  async function expectRejected(spec: ModelSpec, bytes: Uint8Array, name: string, message: RegExp) {
    const model = buildModel(spec);
    try {
      const before = snapshot(model);
      const tensors = tf.memory().numTensors;
      await expect(
        readKerasWeights(bytes, name).then((f) => assignWeights(model, f)),
      ).rejects.toThrow(message);
      expectUnchanged(model, before);
      expect(tf.memory().numTensors).toBe(tensors);
    } finally {
      model.dispose();
    }
  }

  it('truncated file', async () => {
    await expectRejected(
      mnv2,
      good.slice(0, good.length - 1000),
      'short.h5',
      /"short\.h5" is truncated/,
    );
  });

  it('random bytes', async () => {
    const junk = Uint8Array.from({ length: 10_000 }, (_, i) => (i * 7919) % 251);
    await expectRejected(mnv2, junk, 'noise.h5', /"noise\.h5" is not an HDF5 file/);
  });

  it('a file for another architecture (MobileNetV2 weights into ResNet50)', async () => {
    await expectRejected(
      getModelSpec('resnet50'),
      good,
      'mobilenet_v2.h5',
      /^Weights file "mobilenet_v2\.h5" does not fit model "resnet50" \(layers paired by name, the rest by order\): layer "conv1_conv" \(file layer "Conv1"\) expects 2 weights \(kernel, bias\), the file has 1 \(Conv1\/kernel:0\)$/,
    );
  });

  it('one wrong shape, late in the file (all earlier layers would fit)', async () => {
    const options = { seed: SEED, shapeOverrides: { 'block_16_project/kernel': [1, 1, 960, 321] } };
    const model = buildModel(mnv2);
    const bytes = new Uint8Array(readFileSync(await generateWeightsFile(mnv2, options, model)));
    model.dispose();
    const mismatch = (await expectRejectedError(mnv2, bytes, 'wrong.h5')).mismatch;
    expect(mismatch).toMatchObject({
      layer: 'block_16_project',
      fileLayer: 'block_16_project',
      weight: 'kernel',
      expected: [1, 1, 960, 320],
      found: [1, 1, 960, 321],
    });
  });

  it('one wrong shape in a legacy-named Xception file points at that layer, not at the renumbering', async () => {
    const spec = getModelSpec('xception');
    const options = {
      legacy: true,
      seed: SEED,
      shapeOverrides: { 'block13_sepconv2_bn/moving_variance': [1023] },
    };
    const model = buildModel(spec);
    const bytes = new Uint8Array(readFileSync(await generateWeightsFile(spec, options, model)));
    model.dispose();
    const error = await expectRejectedError(spec, bytes, 'xception.h5');
    expect(error.message).toBe(
      'Weights file "xception.h5" does not fit model "xception" (layers paired by order, as Keras does): ' +
        'layer "block13_sepconv2_bn", weight "moving_variance": expected shape [1024], found [1023] ' +
        '("block13_sepconv2_bn/moving_variance:0")',
    );
  });

  /** Like expectRejected, for assignWeights' WeightsError, returned for inspection. */
  async function expectRejectedError(
    spec: ModelSpec,
    bytes: Uint8Array,
    name: string,
  ): Promise<WeightsError> {
    const file = await readKerasWeights(bytes, name);
    const model = buildModel(spec);
    try {
      const before = snapshot(model);
      const tensors = tf.memory().numTensors;
      let error: unknown;
      try {
        assignWeights(model, file);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(WeightsError);
      expect((error as WeightsError).sourceName).toBe(name);
      expect((error as Error).message).toContain(`"${name}"`);
      expectUnchanged(model, before);
      expect(tf.memory().numTensors).toBe(tensors);
      return error as WeightsError;
    } finally {
      model.dispose();
    }
  }

  it('wrong-shape message names layer, weight, expected and found shape', async () => {
    const options = { seed: SEED, shapeOverrides: { 'block_16_project/kernel': [1, 1, 960, 321] } };
    const bytes = new Uint8Array(readFileSync(await generateWeightsFile(mnv2, options)));
    const error = await expectRejectedError(mnv2, bytes, 'wrong.h5');
    expect(error.message).toBe(
      'Weights file "wrong.h5" does not fit model "mobilenetv2_1.00_224" (layers paired by name): ' +
        'layer "block_16_project", weight "kernel": expected shape [1, 1, 960, 320], found [1, 1, 960, 321] ' +
        '("block_16_project/kernel:0")',
    );
  });
});
