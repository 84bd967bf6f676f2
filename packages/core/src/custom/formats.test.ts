// User models in each format (TensorFlow.js, Keras 2 .h5, Keras 3 .h5, Keras 3 .keras) load to
// the same network: the forward pass equals tfjs-layers' `predict` of the saved model within 1e-5.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { useWasmBackend } from '../testing/node.js';
import { kerasH5, kerasZip, tfjsFiles } from '../testing/user-fixtures.js';
import { grayLogitsModel, nestedAndFlat, sigmoidModel, zooModel } from '../testing/user-models.js';
import { loadUserModel, type UserModel } from './load.js';
import type { UserModelFile } from './sources.js';

beforeAll(useWasmBackend);

const FORMATS = {
  'TensorFlow.js': (m: tfl.LayersModel) => tfjsFiles(m),
  'Keras 2 .h5': async (m: tfl.LayersModel) => [{ name: 'model.h5', bytes: await kerasH5(m) }],
  'Keras 3 .h5': async (m: tfl.LayersModel) => [
    { name: 'model.h5', bytes: await kerasH5(m, { keras3: true }) },
  ],
  // Named .h5 on purpose: the format is read from the bytes, not the extension.
  'Keras 3 .keras': async (m: tfl.LayersModel) => [{ name: 'model.h5', bytes: await kerasZip(m) }],
} satisfies Record<string, (m: tfl.LayersModel) => Promise<UserModelFile[]>>;

/** A deterministic input in the model's pixel range. */
function input(shape: number[]): tf.Tensor4D {
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor4d(
    Float32Array.from({ length: n }, (_, i) => (Math.sin(i * 12.9898) * 0.5 + 0.5) * 255),
    shape as [number, number, number, number],
  );
}

/** Our forward pass (probabilities) and tfjs-layers' predict of the reference model. */
function compare(user: UserModel, reference: tfl.LayersModel, shape: number[]): number {
  const x = input(shape);
  const expected = tf.tidy(() => (reference.predict(x) as tf.Tensor).dataSync());
  const analysis = user.explainer.analyzeInput(tf.clone(x));
  x.dispose();
  try {
    let worst = 0;
    expected.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - analysis.probabilities[i]!))));
    return worst;
  } finally {
    analysis.dispose();
  }
}

describe.each(Object.entries(FORMATS))('%s', (_format, save) => {
  it('a functional model with every supported layer class: forward equals predict within 1e-5', async () => {
    const ref = zooModel();
    const user = await loadUserModel(await save(ref));
    try {
      expect(user.info.input).toEqual({ height: 20, width: 16, channels: 3 });
      expect(user.info.output.kind).toBe('softmax');
      expect(user.info.classes).toEqual(['class 0', 'class 1', 'class 2', 'class 3', 'class 4']);
      expect(user.info.defaultLayer).toBe('conv_last');
      expect(user.info.preprocessing).toMatchObject({ mode: 'raw', inModel: ['rescaling'] });
      expect(compare(user, ref, [1, 20, 16, 3])).toBeLessThan(1e-5);
    } finally {
      user.explainer.dispose();
      ref.dispose();
    }
  });

  it('a nested model is flattened: inner layers named by path, same output', async () => {
    const { nested, flat } = nestedAndFlat();
    const user = await loadUserModel(await save(nested));
    try {
      expect(user.info.nested).toEqual(['sequential_5', 'sequential_5/model2', 'sequential_7']);
      expect(user.info.defaultLayer).toBe('sequential_5/model2/Conv_1');
      expect(user.explainer.camLayers().map((l) => l.name)).toContain(
        'sequential_5/model2/out_relu',
      );
      expect(compare(user, nested, [1, 24, 24, 3])).toBeLessThan(1e-5);
    } finally {
      user.explainer.dispose();
      nested.dispose();
      flat.dispose();
    }
  });

  it('one sigmoid unit: class 1 is p, class 0 its opposite 1 - p', async () => {
    const ref = sigmoidModel();
    const user = await loadUserModel(await save(ref), { labels: ['cat', 'dog'] });
    const x = input([1, 16, 16, 3]);
    const p = tf.tidy(() => (ref.predict(x) as tf.Tensor).dataSync()[0]!);
    const a = user.explainer.analyzeInput(x);
    try {
      expect(user.info.output).toMatchObject({ kind: 'sigmoid', units: 1, binary: true });
      expect(user.info.classes).toEqual(['cat', 'dog']);
      expect(Math.abs(a.prediction(1).probability - p)).toBeLessThan(1e-5);
      expect(Math.abs(a.prediction(0).probability - (1 - p))).toBeLessThan(1e-5);
      expect(a.prediction(0).logit).toBeCloseTo(-a.prediction(1).logit, 6);
      // The opposite's gradient is the negated gradient of class 1's score.
      const g1 = a.gradients('conv2d', 1).dataSync().slice();
      const g0 = a.gradients('conv2d', 0).dataSync();
      g1.forEach((v, i) => expect(g0[i]).toBeCloseTo(-v, 6));
    } finally {
      a.dispose();
      user.explainer.dispose();
      ref.dispose();
    }
  });
});

describe('inputs and outputs', () => {
  it('grayscale input and raw logits: probabilities are the logits softmax, explained as scores', async () => {
    const ref = grayLogitsModel();
    const user = await loadUserModel(await tfjsFiles(ref));
    const x = input([1, 12, 10, 1]);
    const logits = tf.tidy(() => (ref.predict(x) as tf.Tensor).dataSync());
    const a = user.explainer.analyzeInput(x);
    try {
      expect(user.info.input).toEqual({ height: 12, width: 10, channels: 1 });
      expect(user.info.output.kind).toBe('logits');
      expect(user.info.warnings.map((w) => w.code)).toContain('output');
      logits.forEach((v, i) => expect(Math.abs(a.logits[i]! - v)).toBeLessThan(1e-5));
      // A colour photo goes through Pillow's convert('L') before the model.
      const photo = { width: 10, height: 12, data: new Uint8ClampedArray(480).fill(200) };
      photo.data.forEach((_, i) => i % 4 === 0 && (photo.data[i] = 10));
      const b = user.explainer.analyze(photo);
      const gray = (10 * 19595 + 200 * 38470 + 200 * 7471 + 0x8000) >> 16;
      expect(b.input.dataSync()[0]).toBeCloseTo(gray / 255, 6);
      b.dispose();
    } finally {
      a.dispose();
      user.explainer.dispose();
      ref.dispose();
    }
  });
});

describe('nested models', () => {
  it('Grad-CAM on the nested model equals Grad-CAM on the same model flattened', async () => {
    const { nested, flat } = nestedAndFlat();
    const a = await loadUserModel([{ name: 'nested.h5', bytes: await kerasH5(nested) }]);
    const b = await loadUserModel(await tfjsFiles(flat));
    const x = input([1, 24, 24, 3]);
    const an = a.explainer.analyzeInput(tf.clone(x));
    const bn = b.explainer.analyzeInput(x);
    try {
      expect(b.info.defaultLayer).toBe('Conv_1');
      for (const [la, lb] of [
        ['sequential_5/model2/Conv_1', 'Conv_1'],
        ['sequential_5/model2/Conv1_relu', 'Conv1_relu'],
      ] as const) {
        for (const method of ['gradcam', 'gradcam++', 'scorecam']) {
          const ea = await an.explain({ method, layer: la, classIndex: 2 });
          const eb = await bn.explain({ method, layer: lb, classIndex: 2 });
          if (ea.output.kind !== 'layer' || eb.output.kind !== 'layer')
            throw new Error('layer map');
          const [va, vb] = [ea.output.values, eb.output.values];
          expect(va.some((v) => v !== va[0])).toBe(true);
          va.forEach((v, i) => expect(Math.abs(v - vb[i]!)).toBeLessThan(1e-5));
        }
      }
    } finally {
      an.dispose();
      bn.dispose();
      a.explainer.dispose();
      b.explainer.dispose();
      nested.dispose();
      flat.dispose();
    }
  });
});
