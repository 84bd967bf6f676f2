import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as tfl from '@tensorflow/tfjs-layers';
import { buildModel } from '../models/build.js';
import { MODELS } from '../models/registry.js';
import type { ModelSpec } from '../models/types.js';
import { LayerGraph } from '../graph/layer-graph.js';
import { useWasmBackend } from '../testing/node.js';
import { cascadeOrder, groupBlocks, type Block } from './blocks.js';

beforeAll(useWasmBackend);

/** The blocks of a registered network, built at a small input (names do not depend on it). */
function blocksOf(spec: ModelSpec): { blocks: Block[]; weighted: string[] } {
  const small = { ...spec, inputSize: 64 };
  let model: tfl.LayersModel | null = null;
  try {
    model = buildModel(small);
    const graph = new LayerGraph(model);
    const layers = graph.nodes.map((n) => ({
      name: n.name,
      inputs: n.inputs,
      weighted: n.layer.weights.length > 0,
    }));
    return {
      blocks: groupBlocks(spec.family.name, layers),
      weighted: layers.filter((l) => l.weighted).map((l) => l.name),
    };
  } finally {
    model?.dispose();
  }
}

const results = new Map<string, ReturnType<typeof blocksOf>>();
const of = (id: string) => {
  let r = results.get(id);
  if (!r) {
    r = blocksOf(MODELS.find((m) => m.id === id)!);
    results.set(id, r);
  }
  return r;
};
afterAll(() => results.clear());

describe('blocks of the cascading randomisation, from each family’s rule', () => {
  it.each(MODELS.map((m) => [m.id]))(
    '%s: every weighted layer in exactly one block, the classifier last',
    (id) => {
      const { blocks, weighted } = of(id);
      const all = blocks.flatMap((b) => b.layers);
      expect(all.sort()).toEqual([...weighted].sort());
      expect(new Set(blocks.map((b) => b.name)).size).toBe(blocks.length);
      expect(blocks.at(-1)).toEqual({ name: 'predictions', layers: ['predictions'] });
      // The cascade starts at the top: the classifier first, the stem last.
      const order = cascadeOrder(blocks);
      expect(order[0].name).toBe('predictions');
      expect(order.at(-1)).toBe(blocks[0]);
    },
  );

  it('MobileNetV2: Conv1, expanded_conv, block_1..block_16, Conv_1, predictions', () => {
    const { blocks } = of('mobilenet_v2');
    expect(blocks.map((b) => b.name)).toEqual([
      'Conv1',
      'expanded_conv',
      ...Array.from({ length: 16 }, (_, i) => `block_${i + 1}`),
      'Conv_1',
      'predictions',
    ]);
    expect(blocks[0].layers).toEqual(['Conv1', 'bn_Conv1']);
    expect(blocks.find((b) => b.name === 'block_16')!.layers).toEqual([
      'block_16_expand',
      'block_16_expand_BN',
      'block_16_depthwise',
      'block_16_depthwise_BN',
      'block_16_project',
      'block_16_project_BN',
    ]);
    expect(
      cascadeOrder(blocks)
        .map((b) => b.name)
        .slice(0, 4),
    ).toEqual(['predictions', 'Conv_1', 'block_16', 'block_15']);
  });

  it('ResNets: the stem, then one block per residual block (stages conv2..conv5)', () => {
    const counts = { resnet50: [3, 4, 6, 3], resnet101: [3, 4, 23, 3], resnet152: [3, 8, 36, 3] };
    for (const [id, perStage] of Object.entries(counts)) {
      const names = of(id).blocks.map((b) => b.name);
      const expected = perStage.flatMap((n, s) =>
        Array.from({ length: n }, (_, i) => `conv${s + 2}_block${i + 1}`),
      );
      expect(names, id).toEqual(['conv1', ...expected, 'predictions']);
    }
    const first = of('resnet50').blocks.find((b) => b.name === 'conv2_block1')!;
    // The projection shortcut belongs to its block.
    expect(first.layers).toContain('conv2_block1_0_conv');
    expect(first.layers).toHaveLength(8);
  });

  it('VGG: block1..block5, then the dense layers fc1, fc2 and predictions one by one', () => {
    expect(of('vgg16').blocks.map((b) => [b.name, b.layers.length])).toEqual([
      ['block1', 2],
      ['block2', 2],
      ['block3', 3],
      ['block4', 3],
      ['block5', 3],
      ['fc1', 1],
      ['fc2', 1],
      ['predictions', 1],
    ]);
    expect(of('vgg19').blocks.find((b) => b.name === 'block5')!.layers).toHaveLength(4);
  });

  it('Xception: block1..block14; unnamed residual convolutions join the block they merge into', () => {
    const { blocks } = of('xception');
    expect(blocks.map((b) => b.name)).toEqual([
      ...Array.from({ length: 14 }, (_, i) => `block${i + 1}`),
      'predictions',
    ]);
    const at = (name: string) => blocks.find((b) => b.layers.includes(name))!.name;
    expect(at('conv2d')).toBe('block2');
    expect(at('batch_normalization')).toBe('block2');
    expect(at('conv2d_1')).toBe('block3');
    expect(at('batch_normalization_2')).toBe('block4');
    expect(at('conv2d_3')).toBe('block13');
  });

  it('a user’s model (no registered family): Keras’ usual block names, other layers alone', () => {
    const chain = (names: string[]) =>
      names.map((name, i) => ({ name, inputs: i ? [names[i - 1]] : [], weighted: i > 0 }));
    const blocks = groupBlocks(
      null,
      chain(['input', 'block1_conv1', 'block1_conv2', 'block2_conv1', 'dense', 'dense_1']),
    );
    expect(blocks.map((b) => [b.name, b.layers.length])).toEqual([
      ['block1', 2],
      ['block2', 1],
      ['dense', 1],
      ['dense_1', 1],
    ]);
  });

  it('a layer no rule names and that merges nowhere is its own block', () => {
    const blocks = groupBlocks('vgg', [
      { name: 'input', inputs: [], weighted: false },
      { name: 'block1_conv1', inputs: ['input'], weighted: true },
      { name: 'mystery', inputs: ['block1_conv1'], weighted: true },
    ]);
    expect(blocks).toEqual([
      { name: 'block1', layers: ['block1_conv1'] },
      { name: 'mystery', layers: ['mystery'] },
    ]);
  });
});
