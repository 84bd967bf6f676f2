// Real ImageNet weights (../shared, see its README): MobileNetV2 under the official file name and layout.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { decode } from 'fast-png';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from '../models/build.js';
import { mobilenetV2 } from '../models/mobilenet_v2.js';
import { SHARED_DIR, findRealWeights, useWasmBackend } from '../testing/node.js';
import { readKerasWeights } from './keras-h5.js';
import { loadModelWeights } from './load.js';

const real = findRealWeights(mobilenetV2.weights.fileName);
const referencePath = join(SHARED_DIR, 'reference', 'mobilenet_v2.json');
const skip = !real.path || !existsSync(referencePath);
if (skip)
  console.warn(`Skipping real MobileNetV2 weights tests: ${real.why || `no ${referencePath}`}`);

interface Reference {
  images: Record<
    string,
    { input: string; top5: Array<{ index: number; label: string; probability: number }> }
  >;
}

/** Keras `preprocess_input(mode='tf')`: RGB 0..255 -> x / 127.5 - 1, as a [1, H, W, 3] batch. */
function pngToInput(path: string): tf.Tensor4D {
  const png = decode(readFileSync(path));
  expect(png.depth).toBe(8);
  const { width, height, channels, data } = png;
  const rgb = new Float32Array(width * height * 3);
  for (let i = 0; i < width * height; i++) {
    for (let c = 0; c < 3; c++) rgb[i * 3 + c] = data[i * channels + c]! / 127.5 - 1;
  }
  return tf.tensor4d(rgb, [1, height, width, 3]);
}

describe.skipIf(skip)('real MobileNetV2 weights', () => {
  beforeAll(useWasmBackend);

  it('pairs the legacy file’s layers exactly as Keras orders them (independent check of layer order)', async () => {
    const file = await readKerasWeights(new Uint8Array(readFileSync(real.path!)), real.path!);
    const model = buildModel(mobilenetV2);
    const ours = model.layers.filter((l) => l.weights.length > 0).map((l) => l.name);
    model.dispose();
    const theirs = file.layerNames.filter((n) => file.layers.get(n)!.length > 0);
    // Identical except the classifier's legacy name.
    expect(theirs).toEqual([...ours.slice(0, -1), 'Logits']);
    expect(ours.at(-1)).toBe('predictions');
  });

  it('loads and classifies cat_224.png as Egyptian cat (285) with p = 0.672352, without leaking tensors', async () => {
    const reference = JSON.parse(readFileSync(referencePath, 'utf8')) as Reference;
    const bytes = new Uint8Array(readFileSync(real.path!));
    const before = tf.memory().numTensors;
    const model = await loadModelWeights(mobilenetV2, bytes, mobilenetV2.weights.fileName);
    try {
      const afterLoad = tf.memory().numTensors;
      for (const [name, ref] of Object.entries(reference.images)) {
        const x = pngToInput(join(SHARED_DIR, 'reference', ref.input));
        const y = model.predict(x) as tf.Tensor;
        const p = y.dataSync();
        tf.dispose([x, y]);
        const top5 = Array.from(p, (v, i) => [i, v] as const)
          .sort((a, b) => b[1] - a[1])
          .slice(0, 5);
        expect(
          top5.map(([i]) => i),
          name,
        ).toEqual(ref.top5.map((t) => t.index));
        top5.forEach(([, v], k) =>
          expect(Math.abs(v - ref.top5[k]!.probability), `${name} #${k}`).toBeLessThan(1e-4),
        );
        if (name === 'cat') {
          expect(top5[0]![0]).toBe(285);
          expect(ref.top5[0]!.label).toBe('Egyptian cat');
          expect(Math.abs(top5[0]![1] - 0.672352)).toBeLessThan(1e-4);
        }
        expect(tf.memory().numTensors).toBe(afterLoad);
      }
    } finally {
      model.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
