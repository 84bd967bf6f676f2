import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { GraphExecutor } from './executor.js';
import { conv, dense, depthwiseConv } from './ops.js';
import { useWasmBackend } from '../testing/node.js';

/** A small network with every layer kind the executor supports, including a residual block. */
function toyModel(): tfl.LayersModel {
  const input = tfl.input({ shape: [17, 15, 3], name: 'input' });
  let x = tfl.layers
    .zeroPadding2d({
      padding: [
        [0, 1],
        [1, 1],
      ],
      name: 'pad',
    })
    .apply(input) as tfl.SymbolicTensor;
  x = tfl.layers
    .conv2d({
      filters: 8,
      kernelSize: 3,
      strides: 2,
      padding: 'valid',
      activation: 'relu',
      name: 'conv1',
    })
    .apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.batchNormalization({ epsilon: 1e-3, name: 'bn1' }).apply(x) as tfl.SymbolicTensor;
  const shortcut = x;
  let y = tfl.layers
    .depthwiseConv2d({ kernelSize: 3, padding: 'same', useBias: false, name: 'dw' })
    .apply(x) as tfl.SymbolicTensor;
  y = tfl.layers.reLU({ maxValue: 6, name: 'dw_relu' }).apply(y) as tfl.SymbolicTensor;
  y = tfl.layers
    .conv2d({ filters: 8, kernelSize: 1, useBias: false, name: 'project' })
    .apply(y) as tfl.SymbolicTensor;
  x = tfl.layers.add({ name: 'add' }).apply([shortcut, y]) as tfl.SymbolicTensor;
  x = tfl.layers
    .depthwiseConv2d({ kernelSize: 3, strides: 2, padding: 'same', name: 'dw2' })
    .apply(x) as tfl.SymbolicTensor;
  x = tfl.layers
    .separableConv2d({ filters: 6, kernelSize: 3, padding: 'same', useBias: false, name: 'sep' })
    .apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.activation({ activation: 'relu', name: 'sep_act' }).apply(x) as tfl.SymbolicTensor;
  x = tfl.layers
    .maxPooling2d({ poolSize: 2, strides: 1, padding: 'same', name: 'pool' })
    .apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.globalAveragePooling2d({ name: 'gap' }).apply(x) as tfl.SymbolicTensor;
  x = tfl.layers
    .dense({ units: 5, activation: 'softmax', name: 'predictions' })
    .apply(x) as tfl.SymbolicTensor;
  const model = tfl.model({ inputs: input, outputs: x });
  // Non-trivial batch-norm statistics.
  const bn = model.getLayer('bn1');
  bn.setWeights(
    bn.getWeights().map((w, i) => tf.add(tf.randomUniform(w.shape, 0.5, 1.5, 'float32', 7 + i), 0)),
  );
  return model;
}

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

describe('GraphExecutor', () => {
  let model: tfl.LayersModel;
  let exec: GraphExecutor;
  let input: tf.Tensor4D;

  beforeAll(async () => {
    await useWasmBackend();
    model = toyModel();
    exec = new GraphExecutor(model);
    input = tf.randomNormal([1, 17, 15, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
  });

  it('orders layers topologically and finds residual side inputs', () => {
    const names = exec.graph.nodes.map((n) => n.name);
    expect(names.indexOf('add')).toBeGreaterThan(names.indexOf('project'));
    expect(exec.graph.sideInputs('dw_relu')).toEqual(['bn1']);
    expect(exec.graph.sideInputs('add')).toEqual([]);
    const cam = exec.graph.camLayers('sep_act').map((l) => l.name);
    expect(cam).toContain('dw_relu');
    expect(cam).not.toContain('pad');
    expect(cam).not.toContain('gap');
    expect(exec.graph.camProblem('gap')).toMatch(/4-D/);
    expect(exec.graph.camProblem('nope')).toMatch(/no layer named/);
  });

  it('forward logits give the model prediction and keep what was asked', () => {
    // The first pass derives the folded weights, kept until the weights change.
    const warm = exec.forward(input, ['add', 'dw_relu']);
    tf.dispose([warm.logits, ...warm.kept.values()]);
    const before = tf.memory().numTensors;
    const { logits, kept } = exec.forward(input, ['add', 'dw_relu']);
    const pred = model.predict(input) as tf.Tensor;
    expect(tf.tidy(() => maxAbsDiff(tf.softmax(logits), pred))).toBeLessThan(1e-5);
    expect([...kept.keys()].sort()).toEqual(['add', 'dw_relu']);
    expect(kept.get('dw_relu')!.shape).toEqual([1, 8, 8, 8]);
    pred.dispose();
    logits.dispose();
    kept.forEach((t) => t.dispose());
    expect(tf.memory().numTensors).toBe(before);
  });

  it('head gradient inside a residual block matches finite differences', () => {
    const target = 'dw_relu';
    const { logits, kept } = exec.forward(input, exec.keepFor(target));
    const cls = 2;
    const grad = exec.gradient(target, kept, cls);
    const a = kept.get(target)!;
    const side = new Map([['bn1', kept.get('bn1')!]]);
    const g = grad.dataSync();
    const base = a.dataSync();
    const eps = 1e-2;
    // Central differences at a few positions where the ReLU6 is not at a kink.
    let checked = 0;
    for (let i = 0; i < base.length && checked < 6; i += 37) {
      if (base[i] <= eps || base[i] >= 6 - eps) continue;
      const score = (delta: number) =>
        tf.tidy(() => {
          const v = base.slice();
          v[i] += delta;
          const l = exec.head(target, tf.tensor(v, a.shape), side, { guided: false });
          return l.dataSync()[cls];
        });
      const fd = (score(eps) - score(-eps)) / (2 * eps);
      expect(Math.abs(fd - g[i])).toBeLessThan(2e-3 + 1e-2 * Math.abs(g[i]));
      checked++;
    }
    expect(checked).toBeGreaterThan(2);
    grad.dispose();
    logits.dispose();
    kept.forEach((t) => t.dispose());
  });

  it('input gradient through the whole network equals autodiff of the model on the cpu backend', async () => {
    const ours = exec.inputGradient(input, 1, false);
    const oursData = ours.dataSync().slice();
    ours.dispose();
    await tf.setBackend('cpu');
    try {
      const ref = tf.tidy(() => {
        const f = (x: tf.Tensor) => {
          // Logit = log of the softmax output up to a constant: differentiate log p_1 + logsumexp,
          // simpler: recompute logits from the penultimate layer of the model itself.
          const sub = tfl.model({
            inputs: model.inputs,
            outputs: model.getLayer('gap').output as tfl.SymbolicTensor,
          });
          const feat = sub.apply(x) as tf.Tensor2D;
          const [k, b] = model.getLayer('predictions').getWeights();
          return tf.sum(tf.slice(tf.add(tf.matMul(feat, k), b), [0, 1], [1, 1]));
        };
        return tf.grad(f)(input);
      });
      const refData = ref.dataSync();
      let maxErr = 0;
      let maxRef = 0;
      for (let i = 0; i < refData.length; i++) {
        maxErr = Math.max(maxErr, Math.abs(refData[i] - oursData[i]));
        maxRef = Math.max(maxRef, Math.abs(refData[i]));
      }
      expect(maxRef).toBeGreaterThan(0);
      expect(maxErr / maxRef).toBeLessThan(1e-4);
      ref.dispose();
    } finally {
      await useWasmBackend();
      await tf.setBackend('wasm');
    }
  });

  it('guided gradients differ from plain ones and pass only where both signs allow', () => {
    const plain = exec.inputGradient(input, 0, false);
    const guided = exec.inputGradient(input, 0, true);
    expect(maxAbsDiff(plain, guided)).toBeGreaterThan(0);
    plain.dispose();
    guided.dispose();
  });

  it('does not leak tensors over repeated gradients', () => {
    const run = (i: number) => {
      const { logits, kept } = exec.forward(input, exec.keepFor('sep_act'));
      const g = exec.gradient('sep_act', kept, i % 5);
      g.dispose();
      logits.dispose();
      kept.forEach((t) => t.dispose());
    };
    run(0); // first use may create per-layer constants (folded batch norms)
    const before = tf.memory().numTensors;
    for (let i = 1; i < 6; i++) run(i);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('head with known dense outputs (VGG-like)', () => {
  it('gives the gradient of the full head, plain and guided, for every class', async () => {
    await useWasmBackend();
    const L = tfl.layers;
    const input = tfl.input({ shape: [6, 6, 3], name: 'input' });
    let x = L.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', name: 'conv' }).apply(input) as tfl.SymbolicTensor; // prettier-ignore
    x = L.flatten({ name: 'flatten' }).apply(x) as tfl.SymbolicTensor;
    x = L.dense({ units: 16, activation: 'relu', name: 'fc1' }).apply(x) as tfl.SymbolicTensor;
    x = L.dropout({ rate: 0.5, name: 'drop' }).apply(x) as tfl.SymbolicTensor;
    x = L.dense({ units: 12, name: 'fc2' }).apply(x) as tfl.SymbolicTensor;
    x = L.reLU({ name: 'fc2_relu' }).apply(x) as tfl.SymbolicTensor;
    x = L.dense({ units: 3, activation: 'softmax', name: 'predictions' }).apply(x) as tfl.SymbolicTensor; // prettier-ignore
    const model = tfl.model({ inputs: input, outputs: x });
    const exec = new GraphExecutor(model);
    const img = tf.randomNormal([1, 6, 6, 3], 0, 1, 'float32', 4) as tf.Tensor4D;
    const keep = exec.keepFor('conv');
    expect(keep).toEqual(['conv', 'fc1', 'fc2']);
    const { logits, kept } = exec.forward(img, keep);
    let nonZero = 0;
    try {
      for (const guided of [false, true]) {
        for (let c = 0; c < 3; c++) {
          const fast = exec.gradient('conv', kept, c, { guided });
          // The same head computed in full (no known values).
          const full = tf.grad((a: tf.Tensor) =>
            tf.sum(tf.slice(exec.head('conv', a, new Map(), { guided }), [0, c], [-1, 1])),
          )(kept.get('conv')!);
          nonZero += tf.tidy(() => tf.max(tf.abs(full)).dataSync()[0]) > 0 ? 1 : 0;
          expect(maxAbsDiff(fast, full)).toBeLessThan(1e-6);
          tf.dispose([fast, full]);
        }
      }
      expect(nonZero).toBeGreaterThan(3);
    } finally {
      tf.dispose([logits, img, ...kept.values()]);
      exec.dispose();
      model.dispose();
    }
  });
});

describe('dense input gradient', () => {
  it('matches autodiff of matMul for a batch of 3', async () => {
    await tf.setBackend('cpu');
    tf.tidy(() => {
      const x = tf.randomNormal([3, 7], 0, 1, 'float32', 1) as tf.Tensor2D;
      const w = tf.randomNormal([7, 5], 0, 1, 'float32', 2) as tf.Tensor2D;
      const dy = tf.randomNormal([3, 5], 0, 1, 'float32', 3);
      const ref = tf.grad((xi: tf.Tensor) => tf.sum(tf.mul(tf.matMul(xi as tf.Tensor2D, w), dy)))(
        x,
      );
      const ours = tf.grad((xi: tf.Tensor) => tf.sum(tf.mul(dense(xi as tf.Tensor2D, w), dy)))(x);
      expect(ours.shape).toEqual([3, 7]);
      expect(maxAbsDiff(ours, ref)).toBeLessThan(1e-5);
    });
  });
});

describe('routed convolution gradients', () => {
  afterAll(async () => {
    await useWasmBackend();
    await tf.setBackend('wasm');
  });

  type Op = 'depthwise' | 'conv';
  /** d/dx sum(op(x) * dy), by tfjs' own gradient on the cpu backend and by ours on `backend`. */
  async function both(
    op: Op,
    backend: string,
    h: number,
    w: number,
    k: number,
    s: number,
    padding: 'same' | 'valid',
  ) {
    await tf.setBackend('cpu');
    const data = tf.tidy(() => {
      const x = tf.randomNormal([1, h, w, 4], 0, 1, 'float32', 1) as tf.Tensor4D;
      const f = tf.randomNormal(
        [k, k, 4, op === 'conv' ? 3 : 1],
        0,
        1,
        'float32',
        2,
      ) as tf.Tensor4D;
      const apply = (xi: tf.Tensor4D) => op === 'conv' ? tf.conv2d(xi, f, s, padding) : tf.depthwiseConv2d(xi, f, s, padding); // prettier-ignore
      const dy = tf.randomNormal(apply(x).shape, 0, 1, 'float32', 3);
      const ref = tf.grad((xi: tf.Tensor) => tf.sum(tf.mul(apply(xi as tf.Tensor4D), dy)))(x);
      return { x: x.arraySync(), f: f.arraySync(), dy: dy.arraySync(), ref: ref.arraySync() as number[][][][] }; // prettier-ignore
    });
    await tf.setBackend(backend);
    const ours = tf.tidy(() => {
      const x = tf.tensor4d(data.x);
      const f = tf.tensor4d(data.f);
      const dy = tf.tensor(data.dy);
      const routed = (xi: tf.Tensor4D) => op === 'conv' ? conv(xi, f, [s, s], padding) : depthwiseConv(xi, f, [s, s], padding); // prettier-ignore
      return tf.grad((xi: tf.Tensor) => tf.sum(tf.mul(routed(xi as tf.Tensor4D), dy)))(x).arraySync() as number[][][][]; // prettier-ignore
    });
    return { ref: data.ref, ours };
  }

  const cases: [number, number, number, number, 'same' | 'valid'][] = [
    [7, 7, 3, 1, 'same'],
    [8, 8, 2, 1, 'same'],
    [8, 8, 3, 2, 'same'],
    [9, 8, 3, 2, 'same'],
    [9, 9, 3, 2, 'valid'],
    [10, 7, 5, 2, 'valid'],
    [6, 6, 3, 1, 'valid'],
    [11, 10, 5, 3, 'same'],
    [9, 9, 2, 2, 'same'],
  ];
  for (const backend of ['cpu', 'wasm']) {
    for (const [h, w, k, s, padding] of cases) {
      for (const [op, kk] of [
        ['depthwise', k],
        ['conv', k],
        ['conv', 1],
      ] as [Op, number][]) {
        it(`${op} input gradient matches tfjs' own on ${backend}: ${h}x${w}, k=${kk}, stride ${s}, ${padding}`, async () => {
          if (backend === 'wasm') await useWasmBackend();
          const { ref, ours } = await both(op, backend, h, w, kk, s, padding);
          const a = ref.flat(3);
          const b = ours.flat(3);
          expect(b.length).toBe(a.length);
          expect(Math.max(...a.map((v, i) => Math.abs(v - b[i])))).toBeLessThan(1e-4);
        });
      }
    }
  }
});
