// Bad user files give messages for people, and leave nothing allocated behind.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { strToU8 } from 'fflate';
import { useWasmBackend } from '../testing/node.js';
import { kerasH5, kerasZip, tfjsFiles } from '../testing/user-fixtures.js';
import { denseOnlyModel, sigmoidModel } from '../testing/user-models.js';
import { UserModelError } from './errors.js';
import { loadUserModel } from './load.js';
import type { UserModelFile } from './sources.js';

beforeAll(useWasmBackend);

type Json = Record<string, unknown>;

/** Loading fails with a UserModelError matching `message`; tensors and variables are as before. */
async function refused(files: UserModelFile[], message: RegExp): Promise<string> {
  const tensors = tf.memory().numTensors;
  const variables = Object.keys(tf.engine().registeredVariables).length;
  const error = await loadUserModel(files).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserModelError);
  const text = (error as Error).message;
  expect(text).toMatch(message);
  expect(text).not.toMatch(/\n\s+at /); // no stack trace in the message
  expect(tf.memory().numTensors).toBe(tensors);
  expect(Object.keys(tf.engine().registeredVariables).length).toBe(variables);
  return text;
}

const withSigmoid = async <T>(f: (m: ReturnType<typeof sigmoidModel>) => Promise<T>) => {
  const m = sigmoidModel();
  try {
    return await f(m);
  } finally {
    m.dispose();
  }
};

describe('bad files', () => {
  it('a truncated .h5', () =>
    withSigmoid(async (m) => {
      const bytes = await kerasH5(m);
      await refused(
        [{ name: 'cut.h5', bytes: bytes.slice(0, bytes.length / 2) }],
        /"cut\.h5" is (truncated|damaged)/,
      );
    }));

  it('a truncated .keras zip', () =>
    withSigmoid(async (m) => {
      const bytes = await kerasZip(m);
      await refused(
        [{ name: 'cut.keras', bytes: bytes.slice(0, bytes.length - 200) }],
        /"cut\.keras" is a damaged or truncated zip/,
      );
    }));

  it('a zip without config.json', () =>
    withSigmoid(async (m) => {
      const bytes = await kerasZip(m, 'config.json');
      await refused([{ name: 'm.keras', bytes }], /zip archive without "config\.json"/);
    }));

  it('a model.json whose shard is missing, or cut short', () =>
    withSigmoid(async (m) => {
      const [json, shard] = await tfjsFiles(m);
      await refused([json!], /needs its weights file "group1-shard1of1\.bin", which was not given/);
      const cut = { name: shard!.name, bytes: shard!.bytes.slice(0, 100) };
      await refused([json!, cut], /are truncated/);
    }));

  it('a weights-only .h5 gets "a full model is needed"', () =>
    withSigmoid(async (m) => {
      const bytes = await kerasH5(m, { weightsOnly: true });
      await refused(
        [{ name: 'weights.h5', bytes }],
        /holds only weights .* A full model is needed/,
      );
    }));

  it('an unsupported layer (Lambda) names the layer, its class and what to do', () =>
    withSigmoid(async (m) => {
      const bytes = await kerasH5(m, {
        edit: (c) => {
          const layers = (c['config'] as Json)['layers'] as Json[];
          layers.splice(1, 0, {
            class_name: 'Lambda',
            config: { name: 'scale_input', function: ['4wEAAAAA', null, null] },
          });
        },
      });
      const text = await refused(
        [{ name: 'lambda.h5', bytes }],
        /Layer "scale_input" \(class Lambda\)/,
      );
      expect(text).toMatch(/What you can do: rebuild the model without it/);
    }));

  it('a custom layer class is named too', () =>
    withSigmoid(async (m) => {
      const custom = await kerasH5(m, {
        keras3: true,
        edit: (c) => {
          const layers = (c['config'] as Json)['layers'] as Json[];
          layers.splice(2, 0, { class_name: 'MyAttention', config: { name: 'attention' } });
        },
      });
      await refused(
        [{ name: 'custom.h5', bytes: custom }],
        /Layer "attention" \(class MyAttention\) is not a layer class this app knows/,
      );
    }));

  it('a Dense-only model on a 1-D input needs an image model with a convolutional layer', async () => {
    const m = denseOnlyModel();
    const files = await tfjsFiles(m);
    m.dispose();
    await refused(files, /needs an image model with a convolutional layer/);
  });

  it('weights that do not fit the config name the layer and both shapes', () =>
    withSigmoid(async (m) => {
      const [json, shard] = await tfjsFiles(m);
      const model = JSON.parse(new TextDecoder().decode(json!.bytes)) as Json;
      const specs = (model['weightsManifest'] as Json[])[0]!['weights'] as Json[];
      specs.find((w) => w['name'] === 'conv2d/bias')!['shape'] = [2, 2]; // same bytes, wrong shape
      const edited = { name: json!.name, bytes: strToU8(JSON.stringify(model)) };
      await refused(
        [edited, shard!],
        /layer "conv2d" \(Conv2D\) expects bias of shape \[4\], the file has \[2, 2\]/,
      );
    }));

  it('files that are no model at all, and a TensorFlow.js graph model', async () => {
    await refused(
      [{ name: 'photo.png', bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 0]) }],
      /No model among "photo\.png"/,
    );
    const graph = strToU8(
      JSON.stringify({ format: 'graph-model', modelTopology: { node: [] }, weightsManifest: [] }),
    );
    await refused([{ name: 'model.json', bytes: graph }], /graph model, which keeps no layers/);
    await refused(
      [{ name: 'model.json', bytes: strToU8('{"modelTopology": {"class_na') }],
      /not valid JSON \(truncated or damaged\)/,
    );
  });
});
