import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import h5node from 'h5wasm/node';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { buildModel } from '../models/build.js';
import { mobilenetV2 } from '../models/mobilenet_v2.js';
import {
  GENERATED_DIR,
  fileLayout,
  generateWeightsFile,
  generatedValues,
} from '../testing/generate-weights.js';
import { findRealWeights, useWasmBackend } from '../testing/node.js';
import { readKerasWeights, weightKey } from './keras-h5.js';

beforeAll(useWasmBackend);

const real = findRealWeights(mobilenetV2.weights.fileName);
if (!real.path) console.warn(`Skipping real MobileNetV2 file tests: ${real.why}`);

describe('weightKey', () => {
  it('keeps the last path component without the output index', () => {
    expect(weightKey('Conv1/kernel:0')).toBe('kernel');
    expect(weightKey('block_1_depthwise/depthwise_kernel:0')).toBe('depthwise_kernel');
    expect(weightKey('model/bn/moving_variance:12')).toBe('moving_variance');
    expect(weightKey('block1_conv1/kernel')).toBe('kernel');
    expect(weightKey('block1_conv1_W_1:0')).toBe('block1_conv1_W_1');
  });
});

describe('readKerasWeights', () => {
  it.skipIf(!real.path)(
    'reads the real MobileNetV2 file (fixed-length strings, legacy names)',
    async () => {
      const f = await readKerasWeights(new Uint8Array(readFileSync(real.path!)), 'mnv2.h5');
      expect(f.sourceName).toBe('mnv2.h5');
      expect(f.layerNames.length).toBe(157);
      expect(f.layerNames.slice(0, 4)).toEqual(['input_1', 'Conv1_pad', 'Conv1', 'bn_Conv1']);
      expect(f.layerNames.slice(-2)).toEqual(['global_average_pooling2d_1', 'Logits']);
      expect(f.layers.get('Conv1_pad')).toEqual([]);
      const conv1 = f.layers.get('Conv1')!;
      expect(conv1.map((w) => [w.name, w.shape])).toEqual([['Conv1/kernel:0', [3, 3, 3, 32]]]);
      expect(f.layers.get('bn_Conv1')!.map((w) => weightKey(w.name))).toEqual([
        'gamma',
        'beta',
        'moving_mean',
        'moving_variance',
      ]);
      // README: BN folded into kernels, gamma = sqrt(1 + 0.001), variance 1.
      expect(f.layers.get('bn_Conv1')![0]!.data[0]).toBeCloseTo(Math.sqrt(1.001), 6);
      expect(Array.from(f.layers.get('bn_Conv1')![3]!.data.slice(0, 3))).toEqual([1, 1, 1]);
      expect(f.layers.get('block_1_depthwise')![0]!.shape).toEqual([3, 3, 96, 1]);
      const logits = f.layers.get('Logits')!;
      expect(logits.map((w) => w.shape)).toEqual([[1280, 1000], [1000]]);
      let total = 0;
      for (const ws of f.layers.values()) for (const w of ws) total += w.data.length;
      expect(total).toBe(3_538_984);
      expect(f.backend).toBe('tensorflow');
    },
  );

  it.each(['fixed', 'vlen'] as const)(
    'reads generated files with %s-length string attributes',
    async (strings) => {
      const model = buildModel(mobilenetV2);
      const options = { legacy: true, strings, seed: 11 };
      const path = await generateWeightsFile(mobilenetV2, options, model);
      const layout = fileLayout(mobilenetV2, model, options);
      model.dispose();
      const f = await readKerasWeights(new Uint8Array(readFileSync(path)), path);
      expect(f.layerNames).toEqual(layout.map((l) => l.name));
      for (const l of layout)
        expect(f.layers.get(l.name)!.map((w) => w.name)).toEqual(l.weights.map((w) => w.name));
      const w = f.layers.get('block_16_project')![0]!;
      expect(w.shape).toEqual([1, 1, 960, 320]);
      const expected = generatedValues(11, 'block_16_project', w.name, w.shape);
      // (toEqual on 300k-element typed arrays takes seconds.)
      expect(w.data.length).toBe(expected.length);
      expect(w.data.every((v, i) => v === expected[i])).toBe(true);
    },
  );

  describe('errors name the file and the problem', () => {
    let good: Uint8Array;
    beforeAll(async () => {
      good = new Uint8Array(readFileSync(await generateWeightsFile(mobilenetV2, { seed: 11 })));
    });

    it('random bytes', async () => {
      let seed = 1;
      const junk = Uint8Array.from(
        { length: 4096 },
        () => (seed = (seed * 16807) % 2147483647) & 255,
      );
      await expect(readKerasWeights(junk, 'junk.h5')).rejects.toThrow(
        /"junk\.h5" is not an HDF5 file/,
      );
    });

    it('empty file', async () => {
      await expect(readKerasWeights(new Uint8Array(0), 'empty.h5')).rejects.toThrow(
        /"empty\.h5" is not an HDF5 file/,
      );
    });

    it.each([0.999, 0.5, 0.01])('file truncated to %s of its size', async (fraction) => {
      const cut = good.slice(0, Math.floor(good.length * fraction));
      await expect(readKerasWeights(cut, 'cut.h5')).rejects.toThrow(
        /"cut\.h5" is truncated \(HDF5: truncated file: eof = \d+/,
      );
    });

    it('corrupt bytes inside the file', async () => {
      const bad = good.slice();
      bad.fill(0xab, 2048, 6144);
      await expect(readKerasWeights(bad, 'bad.h5')).rejects.toThrow(
        /"bad\.h5" is corrupt or not readable as HDF5 \(HDF5: .+\)/,
      );
    });

    it('HDF5 without layer_names', async () => {
      await h5node.ready;
      const path = join(GENERATED_DIR, `no-layer-names-${process.pid}.h5`);
      const f = new h5node.File(path, 'w');
      f.create_attribute('something', 'else');
      f.create_group('conv').create_dataset({
        name: 'kernel:0',
        data: new Float32Array(4),
        shape: [2, 2],
        dtype: '<f',
      });
      f.close();
      await expect(
        readKerasWeights(new Uint8Array(readFileSync(path)), 'plain.h5'),
      ).rejects.toThrow(
        /"plain\.h5" is HDF5 but not a Keras HDF5 weights file: its root has no "layer_names" attribute \(root attributes: something\)/,
      );
      rmSync(path);
    });

    it('a listed layer or weight that is missing', async () => {
      await h5node.ready;
      const path = join(GENERATED_DIR, `missing-${process.pid}.h5`);
      const f = new h5node.File(path, 'w');
      f.create_attribute('layer_names', ['dense', 'gone'], [2], 'S5');
      f.create_group('dense').create_attribute('weight_names', ['dense/kernel:0'], [1], 'S14');
      f.close();
      const bytes = new Uint8Array(readFileSync(path));
      rmSync(path);
      await expect(readKerasWeights(bytes, 'm.h5')).rejects.toThrow(
        /^Weights file "m\.h5" is damaged: layer "dense" lists weight "dense\/kernel:0" but has no such dataset$/,
      );
    });

    /** A one-layer Keras weights file with `fill` run on its (writable) file, then read back. */
    async function tinyFile(
      name: string,
      fill: (group: InstanceType<typeof h5node.Group>) => void,
    ) {
      await h5node.ready;
      const path = join(GENERATED_DIR, `${name}-${process.pid}.h5`);
      const f = new h5node.File(path, 'w');
      f.create_attribute('layer_names', ['dense'], [1], 'S5');
      const g = f.create_group('dense');
      g.create_attribute('weight_names', ['dense/kernel:0'], [1], 'S14');
      fill(g.create_group('dense'));
      f.close();
      const bytes = new Uint8Array(readFileSync(path));
      rmSync(path);
      return bytes;
    }

    it('a small file that declares gigabytes is refused before anything is allocated', async () => {
      // A chunked dataset grown to 1.4e9 floats (5.6 GB) with no chunk written: the file stays tiny.
      const bytes = await tinyFile('huge', (g) => {
        const d = g.create_dataset({
          name: 'kernel:0',
          data: new Float32Array(1024),
          shape: [1024],
          maxshape: [null],
          chunks: [1024],
          dtype: '<f',
        });
        d.resize([1_400_000_000]);
      });
      expect(bytes.byteLength).toBeLessThan(100_000);
      const seen = vi.fn();
      await expect(readKerasWeights(bytes, 'huge.h5', { beforeData: seen })).rejects.toThrow(
        /^Weights file "huge\.h5" is damaged or hostile: its datasets declare 5\.6 GB of weights, but the file is only \d+\.\d kB$/,
      );
      expect(seen).not.toHaveBeenCalled();
    });

    it('NaN or infinite weights are refused', async () => {
      for (const bad of [NaN, Infinity]) {
        const bytes = await tinyFile('nan', (g) =>
          g.create_dataset({
            name: 'kernel:0',
            data: Float32Array.from([1, 2, bad, 4]),
            shape: [2, 2],
            dtype: '<f',
          }),
        );
        await expect(readKerasWeights(bytes, 'nan.h5')).rejects.toThrow(
          new RegExp(
            `^Weights file "nan\\.h5" is damaged: dataset "dense/dense/kernel:0" holds ${bad} at index 2`,
          ),
        );
      }
    });

    it('beforeData sees the declared layout first and can stop the read', async () => {
      const bytes = await tinyFile('layout', (g) =>
        g.create_dataset({
          name: 'kernel:0',
          data: new Float32Array(6),
          shape: [2, 3],
          dtype: '<f',
        }),
      );
      const stop = new Error('does not fit');
      let layout: unknown;
      await expect(
        readKerasWeights(bytes, 'l.h5', {
          beforeData: (l) => {
            layout = l;
            throw stop;
          },
        }),
      ).rejects.toBe(stop);
      expect(layout).toMatchObject({
        layerNames: ['dense'],
        layers: new Map([['dense', [{ name: 'dense/kernel:0', shape: [2, 3] }]]]),
      });
    });

    it('reads a dataset larger than one slice (32 MiB) exactly', async () => {
      const values = Float32Array.from({ length: 2600 * 4096 }, (_, i) => (i % 1009) - 504.5);
      const bytes = await tinyFile('big', (g) =>
        g.create_dataset({ name: 'kernel:0', data: values, shape: [2600, 4096], dtype: '<f' }),
      );
      const w = (await readKerasWeights(bytes, 'big.h5')).layers.get('dense')![0]!;
      expect(w.shape).toEqual([2600, 4096]);
      expect(w.data.every((v, i) => v === values[i])).toBe(true);
    });

    it('keeps working after errors (h5wasm state is cleaned up)', async () => {
      const f = await readKerasWeights(good, 'good.h5');
      expect(f.layerNames.length).toBe(156);
    });
  });
});
