import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Explainer, imageToInput } from '../engine.js';
import { buildModel } from '../models/build.js';
import { mobilenetV2 } from '../models/mobilenet_v2.js';
import type { ModelSpec } from '../models/types.js';
import { useWasmBackend } from '../testing/node.js';
import { CancelledError } from '../util.js';
import { cascadeOrder } from './blocks.js';
import { networkBlocks, sanityCheck, type SanityResult } from './cascade.js';
import { randomizeLayers, WeightSnapshot } from './randomize.js';

// MobileNetV2 at 96x96 (3x3 maps at out_relu): the real layer structure, small enough to be quick.
const spec: ModelSpec = { ...mobilenetV2, inputSize: 96 };
let explainer: Explainer;
let input: tf.Tensor4D;

function photo(size: number) {
  const data = new Uint8ClampedArray(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = (y * size + x) * 4;
      // A bright disc on a gradient: something for the maps to find.
      const inDisc = (x - size / 3) ** 2 + (y - size / 3) ** 2 < (size / 5) ** 2;
      data[i] = inDisc ? 240 : x * 2;
      data[i + 1] = inDisc ? 200 : y * 2;
      data[i + 2] = inDisc ? 40 : 128;
      data[i + 3] = 255;
    }
  }
  return { width: size, height: size, data };
}

/** Every weight of the model, copied. */
const weightValues = (e: Explainer) =>
  e.model.weights.map((w) => ({ name: w.name, values: Float32Array.from(w.read().dataSync()) }));

/** Names of the weights whose bytes differ (a fast exact comparison of millions of values). */
function changed(a: ReturnType<typeof weightValues>, b: ReturnType<typeof weightValues>): string[] {
  expect(b.map((w) => w.name)).toEqual(a.map((w) => w.name));
  const bytes = (x: Float32Array) => Buffer.from(x.buffer, x.byteOffset, x.byteLength);
  return a.filter((w, i) => !bytes(w.values).equals(bytes(b[i].values))).map((w) => w.name);
}

beforeAll(async () => {
  await useWasmBackend();
  // Seeded weights (Keras' initialisers), so that every run tests the same network.
  const model = buildModel(spec);
  const seeded = new WeightSnapshot();
  randomizeLayers(
    model,
    model.layers.map((l) => l.name),
    seeded,
    7,
  );
  seeded.discard();
  explainer = new Explainer(spec, model);
  input = imageToInput(spec, photo(spec.inputSize));
});

afterAll(() => {
  input?.dispose();
  explainer?.dispose();
});

describe('sanity check (cascading randomisation)', () => {
  let result: SanityResult;
  let stages: string[];

  it('randomises from the top block down, restores the trained weights exactly, leaks nothing', async () => {
    const before = weightValues(explainer);
    const tensors = tf.memory().numTensors;
    stages = [];
    const fractions: number[] = [];
    result = await sanityCheck(explainer, input, {
      classIndex: 3,
      keepMaps: true,
      baselineInputs: 2,
      baselineMaps: 4,
      onProgress: (f, s) => {
        fractions.push(f);
        if (s.phase === 'cascade') stages.push(s.block!);
      },
    });
    expect(tf.memory().numTensors).toBe(tensors);
    expect(changed(before, weightValues(explainer))).toEqual([]);
    expect(fractions.at(-1)).toBeCloseTo(1, 12);

    const order = cascadeOrder(networkBlocks(explainer)).map((b) => b.name);
    expect(result.order).toEqual(order);
    expect(order.slice(0, 3)).toEqual(['predictions', 'Conv_1', 'block_16']);
    expect(order.at(-1)).toBe('Conv1');
    expect(result.steps.map((s) => s.block)).toEqual([null, ...order]);
    // Two progress reports (one per method) per cascade step.
    expect(stages).toEqual(order.flatMap((b) => [b, b]));
  });

  it('step 0 is the trained network: similarity 1 with itself', () => {
    expect(result.steps[0].methods.gradcam.rawMax).toBeGreaterThan(0);
    for (const m of ['gradcam', 'guided-backprop']) {
      expect(result.steps[0].methods[m].spearman).toBeCloseTo(1, 12);
      expect(result.steps[0].methods[m].ssim).toBeCloseTo(1, 12);
    }
    const s = result.steps[0].methods.gradcam;
    expect(s.map).toMatchObject({ width: 3, height: 3 });
    expect(result.steps[5].methods['guided-backprop'].map).toMatchObject({ width: 96, height: 96 });
    for (const step of result.steps) {
      for (const m of result.methods) {
        const v = step.methods[m];
        expect(v.spearman).toBeGreaterThanOrEqual(-1);
        expect(v.spearman).toBeLessThanOrEqual(1);
        expect(v.ssim).toBeGreaterThanOrEqual(-1);
        expect(v.ssim).toBeLessThanOrEqual(1);
      }
    }
    // The classifier randomised: the class's logit is another one.
    expect(result.steps[1].logit).not.toBe(result.steps[0].logit);
    expect(result.comparison).toMatchObject({ height: 96, width: 96 });
    expect(result.baseline.gradcam.randomMaps.n).toBe(4);
    expect(result.baseline.gradcam.unrelatedInputs.n).toBe(2);
    // Random maps share (almost) nothing with the original.
    expect(Math.abs(result.baseline['guided-backprop'].randomMaps.spearman)).toBeLessThan(0.1);
  });

  it('is cumulative: step k is the network with the first k blocks of the order randomised', async () => {
    const k = 3;
    const blocks = cascadeOrder(networkBlocks(explainer)).slice(0, k);
    const snapshot = new WeightSnapshot();
    try {
      for (const b of blocks) randomizeLayers(explainer.model, b.layers, snapshot, result.seed);
      explainer.executor.weightsChanged();
      const a = explainer.analyzeInput(tf.clone(input));
      try {
        expect(a.probabilities[3]).toBeCloseTo(result.steps[k].probability, 6);
        const e = await a.explain({ method: 'gradcam', classIndex: 3 });
        const map = result.steps[k].methods.gradcam.map!;
        expect(e.output.kind === 'layer' && Array.from(e.output.values)).toEqual(
          Array.from(map.values),
        );
      } finally {
        a.dispose();
      }
    } finally {
      snapshot.restore();
      explainer.executor.weightsChanged();
    }
  });

  it('maps after the check are the trained network’s again (no stale cached constants)', async () => {
    const a = explainer.analyzeInput(tf.clone(input));
    try {
      for (const m of ['gradcam', 'guided-backprop']) {
        const e = await a.explain({ method: m, classIndex: 3 });
        const values = e.output.kind === 'layer' ? e.output.values : e.output.magnitude;
        expect(Array.from(values), m).toEqual(Array.from(result.steps[0].methods[m].map!.values));
      }
    } finally {
      a.dispose();
    }
  });

  it('cancelled half-way: throws CancelledError with the weights restored and nothing leaked', async () => {
    const before = weightValues(explainer);
    // The executor's cached constants (folded batch norms...) are dropped by the check: count without.
    explainer.executor.weightsChanged();
    const tensors = tf.memory().numTensors;
    const signal = { aborted: false };
    await expect(
      sanityCheck(explainer, input, {
        classIndex: 3,
        baselineInputs: 1,
        signal,
        onProgress: (_f, s) => {
          if (s.phase === 'cascade' && s.step === 4) signal.aborted = true;
        },
      }),
    ).rejects.toBeInstanceOf(CancelledError);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(changed(before, weightValues(explainer))).toEqual([]);
  });

  it('refuses an unknown method before touching the network', async () => {
    await expect(
      sanityCheck(explainer, input, { classIndex: 3, methods: ['nope'] }),
    ).rejects.toThrow(/Unknown method "nope"/);
  });
});
