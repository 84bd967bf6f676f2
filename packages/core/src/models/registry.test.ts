// The registry is plain data: it (and `@gradcam-explorer/core/pure`) loads without TensorFlow.js, and
// every network's metadata is complete and agrees with its family. Nothing here builds a network.
import { describe, expect, it, vi } from 'vitest';
import type { FamilyConfig, FamilyName, ModelSpec, Preprocessing } from './types.js';
import type { ModelId } from './registry.js';

// Any import of TensorFlow.js or h5wasm by the registry or by core/pure fails the tests below.
vi.mock('@tensorflow/tfjs-core', () => {
  throw new Error('plain-data modules must not load @tensorflow/tfjs-core');
});
vi.mock('@tensorflow/tfjs-layers', () => {
  throw new Error('plain-data modules must not load @tensorflow/tfjs-layers');
});
vi.mock('h5wasm', () => {
  throw new Error('plain-data modules must not load h5wasm');
});

const { MODELS, MODEL_IDS, getModelSpec } = await import('./registry.js');

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

/** What every member of a family shares (Keras source and keras.io/api/applications). */
const FAMILY: {
  [F in FamilyConfig as F['name']]: {
    preprocessing: Preprocessing;
    inputSize: number;
    /** Folder of the weights under storage.googleapis.com/tensorflow/keras-applications/. */
    folder: (spec: ModelSpec) => string;
    /** Keras publishes an md5 for the include_top file (not for MobileNetV2). */
    hashed: boolean;
    /** Weight layers as usually counted (convolutions and dense layers, no shortcuts). */
    depth: (family: F) => number;
  };
} = {
  vgg: {
    preprocessing: 'caffe',
    inputSize: 224,
    folder: (spec) => spec.id,
    hashed: true,
    depth: (f) => sum(f.convsPerBlock) + 3,
  },
  resnet: {
    preprocessing: 'caffe',
    inputSize: 224,
    folder: () => 'resnet',
    hashed: true,
    // conv1, three convolutions per bottleneck block, the dense layer.
    depth: (f) => 1 + 3 * sum(f.blocksPerStack) + 1,
  },
  mobilenet_v2: {
    preprocessing: 'tf',
    inputSize: 224,
    folder: () => 'mobilenet_v2',
    hashed: false,
    depth: () => 53,
  },
  xception: {
    preprocessing: 'tf',
    inputSize: 299,
    folder: () => 'xception',
    hashed: true,
    depth: () => 71,
  },
};

function familyOf(spec: ModelSpec) {
  const f = FAMILY[spec.family.name] as (typeof FAMILY)[FamilyName];
  return { ...f, depth: () => (f.depth as (c: FamilyConfig) => number)(spec.family) };
}

describe('registry', () => {
  it('loads, with core/pure, without TensorFlow.js or h5wasm', async () => {
    const pure = await import('../pure.js');
    expect(pure.MODELS).toBe(MODELS);
    expect(pure.MODEL_IDS).toBe(MODEL_IDS);
  });

  it('lists each network once, with its own id, weights file and parameter count', () => {
    expect(MODELS.length).toBeGreaterThan(0);
    expect(MODELS.map((m) => m.id)).toEqual(MODEL_IDS);
    for (const key of ['id', 'name', 'parameters'] as const) {
      expect(new Set(MODELS.map((m) => m[key])).size, key).toBe(MODELS.length);
    }
    // identifyArchitecture tells networks apart by their exact parameter count.
    expect(new Set(MODELS.map((m) => m.weights.fileName)).size).toBe(MODELS.length);
    MODELS.forEach((m) => {
      expect(m.id).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(getModelSpec(m.id)).toBe(m);
    });
    expect(Object.isFrozen(MODELS)).toBe(true);
    expect(Object.isFrozen(MODEL_IDS)).toBe(true);
  });

  it('keeps the networks of a family together', () => {
    const families = MODELS.map((m) => m.family.name);
    const runs = families.filter((f, i) => i === 0 || families[i - 1] !== f);
    expect(runs).toEqual([...new Set(families)]);
  });

  it('derives ModelId from the registry: the union of its ids, not any string', () => {
    // Type-checked (tsconfig.test.json): `false` does not compile if ModelId widens to string.
    const widened: string extends ModelId ? true : false = false;
    const ids: ModelId[] = MODELS.map((m) => m.id);
    expect([widened, ids]).toEqual([false, MODEL_IDS]);
  });

  it('rejects unknown ids with the valid ones', () => {
    expect(() => getModelSpec('resnet')).toThrow(
      `Unknown model "resnet". Valid models: ${MODEL_IDS.join(', ')}`,
    );
  });

  it('is plain data (survives structured cloning, as sent to a worker)', () => {
    expect(structuredClone(MODELS)).toEqual(MODELS);
  });
});

describe.each(MODELS.map((m) => [m.id, m] as const))('%s metadata', (_, spec) => {
  const family = familyOf(spec);

  it('matches its family: input, preprocessing, depth', () => {
    expect(spec.inputSize).toBe(family.inputSize);
    expect(spec.preprocessing).toBe(family.preprocessing);
    expect(spec.facts.depth).toBe(family.depth());
    expect(spec.parameters).toBeGreaterThan(1_000_000);
    expect(Number.isInteger(spec.parameters)).toBe(true);
  });

  it('has a summary, a paragraph that agrees with the facts, and a paper', () => {
    expect(spec.summary).not.toMatch(/\n/);
    expect(spec.summary.length).toBeLessThan(110);
    const d = spec.description;
    expect(d.length).toBeGreaterThan(200);
    expect(d.startsWith(`${spec.name} (`)).toBe(true);
    expect(d).toContain(spec.parameters.toLocaleString('en-US'));
    expect(d).toContain(spec.defaultLayer);
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
    expect(d).toContain(`${pct(spec.facts.top1)} top-1 and ${pct(spec.facts.top5)} top-5`);
    expect(spec.facts.top1).toBeGreaterThan(0.7);
    expect(spec.facts.top5).toBeGreaterThan(spec.facts.top1);
    expect(spec.facts.top5).toBeLessThan(1);
    expect(spec.facts.paper.url).toMatch(/^https:\/\/arxiv\.org\/abs\/\d{4}\.\d{4,5}$/);
    // References print the venue's year, not the preprint's ("CVPR 2016", not 2015).
    expect(spec.facts.paper.venue).toMatch(new RegExp(` ${spec.facts.paper.year}$`));
    expect(spec.facts.paper.year).toBeGreaterThanOrEqual(spec.facts.year);
  });

  it('names the official Keras weights file, URL, hash and size', () => {
    const w = spec.weights;
    expect(w.fileName).toMatch(
      new RegExp(`^${spec.id}_weights_tf_dim_ordering_tf_kernels(_[\\d._]+)?\\.h5$`),
    );
    expect(w.url).toBe(
      `https://storage.googleapis.com/tensorflow/keras-applications/${family.folder(spec)}/${w.fileName}`,
    );
    if (family.hashed)
      expect(w.hash).toEqual({ algorithm: 'md5', value: expect.stringMatching(/^[0-9a-f]{32}$/) });
    else expect(w.hash).toBeNull();
    // float32 values plus HDF5 overhead.
    expect(w.bytes).toBeGreaterThan(spec.parameters * 4);
    expect(w.bytes).toBeLessThan(spec.parameters * 4 * 1.05);
  });
});
