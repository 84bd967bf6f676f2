import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { GraphExecutor } from './executor.js';
import { buildModel } from '../models/build.js';
import { getModelSpec } from '../models/registry.js';
import { useWasmBackend } from '../testing/node.js';

const L = tfl.layers;
type Sym = tfl.SymbolicTensor;

/** Every pattern the compiler fuses, and some it must leave alone. */
function fusionModel(): tfl.LayersModel {
  const input = tfl.input({ shape: [13, 11, 3], name: 'input' });
  let x = L.zeroPadding2d({ padding: [[1, 2], [0, 1]], name: 'pad' }).apply(input) as Sym; // prettier-ignore
  x = L.conv2d({ filters: 6, kernelSize: 3, strides: 2, name: 'conv' }).apply(x) as Sym;
  x = L.batchNormalization({ epsilon: 1e-3, name: 'bn' }).apply(x) as Sym;
  x = L.reLU({ maxValue: 6, name: 'relu6' }).apply(x) as Sym;
  const branch = x;
  let y = L.depthwiseConv2d({ kernelSize: 3, padding: 'same', useBias: false, name: 'dw' }).apply(x) as Sym; // prettier-ignore
  y = L.batchNormalization({ name: 'dw_bn' }).apply(y) as Sym;
  y = L.activation({ activation: 'relu', name: 'dw_relu' }).apply(y) as Sym;
  y = L.dropout({ rate: 0.5, name: 'drop' }).apply(y) as Sym;
  y = L.conv2d({ filters: 6, kernelSize: 1, name: 'project' }).apply(y) as Sym;
  y = L.batchNormalization({ name: 'project_bn' }).apply(y) as Sym;
  x = L.add({ name: 'add' }).apply([branch, y]) as Sym;
  x = L.activation({ activation: 'relu', name: 'add_relu' }).apply(x) as Sym;
  // Two consumers: nothing may be fused past 'two'.
  const two = L.conv2d({ filters: 4, kernelSize: 1, activation: 'relu', name: 'two' }).apply(x) as Sym; // prettier-ignore
  const a = L.separableConv2d({ filters: 4, kernelSize: 3, padding: 'same', useBias: false, name: 'sep' }).apply(two) as Sym; // prettier-ignore
  const b = L.batchNormalization({ name: 'lone_bn' }).apply(two) as Sym;
  x = L.add({ name: 'add2' }).apply([a, b]) as Sym;
  x = L.batchNormalization({ name: 'sep_bn' }).apply(x) as Sym;
  x = L.globalAveragePooling2d({ name: 'gap' }).apply(x) as Sym;
  x = L.dense({ units: 8, activation: 'relu', name: 'fc' }).apply(x) as Sym;
  x = L.dense({ units: 5, activation: 'softmax', name: 'predictions' }).apply(x) as Sym;
  const model = tfl.model({ inputs: input, outputs: x });
  randomizeBatchNorms(model, 11);
  return model;
}

/** Non-trivial batch-norm statistics (gamma, beta, mean, variance). */
function randomizeBatchNorms(model: tfl.LayersModel, seed: number): void {
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'BatchNormalization') continue;
    const ranges: [number, number][] = [
      [0.5, 1.5],
      [-0.5, 0.5],
      [-0.5, 0.5],
      [0.5, 1.5],
    ];
    layer.setWeights(
      layer.getWeights().map((w, i) => tf.randomUniform(w.shape, ...ranges[i], 'float32', seed++)),
    );
  }
}

/** max |a - b| / max |b|. */
function relDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] / tf.max(tf.abs(b)).dataSync()[0]); // prettier-ignore
}

/** Every layer's output as tfjs-layers computes it. */
function layerOutputs(model: tfl.LayersModel, input: tf.Tensor, names: string[]): tf.Tensor[] {
  const probe = tfl.model({ inputs: model.inputs, outputs: names.map((n) => model.getLayer(n).output as Sym) }); // prettier-ignore
  const out = probe.predict(input);
  return Array.isArray(out) ? out : [out];
}

describe('compiled inference graph', () => {
  let model: tfl.LayersModel;
  let exec: GraphExecutor;
  let input: tf.Tensor4D;

  beforeAll(async () => {
    await useWasmBackend();
    model = fusionModel();
    exec = new GraphExecutor(model);
    input = tf.randomNormal([2, 13, 11, 3], 0, 1, 'float32', 5) as tf.Tensor4D;
  });
  afterAll(() => {
    exec.dispose();
    input.dispose();
  });

  it('fuses padding, convolution, batch norm and ReLU; drops identity layers', () => {
    const plan = exec.plan(new Set());
    expect(plan.steps.map((s) => `${s.kind}:${s.layers.join('+')}`)).toEqual([
      'pad+conv+bn+relu6:pad+conv+bn+relu6',
      'dwconv+bn+relu:dw+dw_bn+dw_relu',
      'conv+bn:project+project_bn',
      'add+relu:add+add_relu',
      'conv+relu:two',
      'sepconv:sep',
      'bn:lone_bn',
      'add:add2',
      'bn:sep_bn',
      'GlobalAveragePooling2D:gap',
      'dense+relu:fc',
      'dense:predictions',
    ]);
    expect(plan.aliases.get('drop')).toBe('dw_relu');
    const { logits } = exec.forward(input);
    const probs = model.predict(input) as tf.Tensor;
    expect(relDiff(tf.softmax(logits), probs)).toBeLessThan(1e-5);
    tf.dispose([logits, probs]);
  });

  it('computes every kept layer as tfjs-layers does, wherever the fusion is cut', () => {
    const names = model.layers.map((l) => l.name).filter((n) => n !== 'input' && n !== 'predictions'); // prettier-ignore
    const want = layerOutputs(model, input, names);
    // Keeping a layer cuts the fusion there: its own output must exist.
    const { logits, kept } = exec.forward(input, names);
    try {
      names.forEach((n, i) => expect(relDiff(kept.get(n)!, want[i]), n).toBeLessThan(1e-5));
      const probs = model.predict(input) as tf.Tensor;
      expect(relDiff(tf.softmax(logits), probs)).toBeLessThan(1e-5);
      probs.dispose();
    } finally {
      tf.dispose([logits, ...kept.values(), ...want]);
    }
  });

  it('keeps what is asked for and leaks nothing', () => {
    const warm = exec.forward(input, ['bn', 'drop']);
    tf.dispose([warm.logits, ...warm.kept.values()]);
    const before = tf.memory().numTensors;
    const { logits, kept } = exec.forward(input, ['bn', 'drop', 'dw_relu']);
    expect(exec.plan(new Set(['bn'])).steps[0].kind).toBe('pad+conv+bn');
    expect([...kept.keys()].sort()).toEqual(['bn', 'drop', 'dw_relu']);
    // A dropped layer shares its input's value, but each name gets a tensor of its own.
    expect(kept.get('drop')).not.toBe(kept.get('dw_relu'));
    tf.dispose([logits, ...kept.values()]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('follows new weights after weightsChanged()', () => {
    const bn = model.getLayer('project_bn');
    const old = bn.getWeights().map((w) => tf.clone(w));
    const before = exec.forward(input).logits;
    bn.setWeights(old.map((w, i) => (i === 1 ? tf.add(w, 3) : w))); // beta + 3
    exec.weightsChanged();
    const after = exec.forward(input).logits;
    const want = tf.tidy(() => tf.log(model.predict(input) as tf.Tensor));
    expect(relDiff(tf.logSoftmax(after), want)).toBeLessThan(1e-5);
    expect(relDiff(before, after)).toBeGreaterThan(1e-3);
    bn.setWeights(old);
    exec.weightsChanged();
    tf.dispose([before, after, want, ...old]);
  });
});

describe.each(['mobilenet_v2', 'resnet50', 'xception'])('compiled %s', (id) => {
  it('folds every batch norm and gives the logits of tfjs-layers', async () => {
    await useWasmBackend();
    const spec = getModelSpec(id);
    const model = buildModel(spec);
    randomizeBatchNorms(model, 3);
    const exec = new GraphExecutor(model);
    const s = spec.inputSize;
    const input = tf.randomUniform([1, s, s, 3], -1, 1, 'float32', 9) as tf.Tensor4D;
    try {
      const plan = exec.plan(new Set([spec.defaultLayer]));
      expect(plan.steps.filter((st) => st.kind === 'bn')).toEqual([]);
      expect(plan.steps.some((st) => st.output === spec.defaultLayer)).toBe(true);
      const { logits, kept } = exec.forward(input, [spec.defaultLayer]);
      const want = layerOutputs(model, input, [spec.defaultLayer, model.outputNames[0]]);
      const wantLogits = tf.tidy(() => tf.log(want[1]));
      expect(relDiff(kept.get(spec.defaultLayer)!, want[0])).toBeLessThan(1e-4);
      expect(relDiff(tf.logSoftmax(logits), wantLogits)).toBeLessThan(1e-4);
      tf.dispose([logits, ...kept.values(), ...want, wantLogits]);
    } finally {
      input.dispose();
      exec.dispose();
      model.dispose();
    }
  }, 120_000);
});
