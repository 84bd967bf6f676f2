// The blocks a network is randomised by in the sanity check (Adebayo et al. 2018 randomise
// Inception v3 "from the top layer down, one block at a time": Logits, Mixed_7c, Mixed_7b, ...).
// Plain data per family, read from the layer names the family builders give (which are Keras'):
// no network keeps its own list, so a new network of a registered family gets its blocks for free.
import type { FamilyName } from '../models/types.js';

/**
 * Name patterns whose first capture group names a layer's block, tried in order. A weighted layer
 * that none matches (Xception's unnamed residual convolutions, `conv2d`, `batch_normalization_1`,
 * ...) belongs to the block its output merges into (see `groupBlocks`); otherwise it is its own
 * block (`predictions`, VGG's `fc1`, `fc2`).
 */
export const BLOCK_PATTERNS: Readonly<Record<FamilyName, readonly RegExp[]>> = Object.freeze({
  // block1_conv1 ... block5_conv3 (VGG16) / block5_conv4 (VGG19); then fc1, fc2, predictions.
  vgg: [/^(block\d+)_/],
  // The stem conv1_conv / conv1_bn; residual blocks conv2_block1_* ... conv5_block3_*.
  resnet: [/^(conv1)_/, /^(conv\d+_block\d+)_/],
  // Stem Conv1 + bn_Conv1; block 0 is expanded_conv_*; block_1_* ... block_16_*; Conv_1 + Conv_1_bn.
  mobilenet_v2: [/^(?:bn_)?(Conv1)$/, /^(expanded_conv)_/, /^(block_\d+)_/, /^(Conv_1)(?:_bn)?$/],
  // block1_conv1 ... block14_sepconv2 (entry, middle and exit flows).
  xception: [/^(block\d+)_/],
});

/** What grouping needs to know of a layer (the executor's graph gives it). */
export interface BlockLayer {
  name: string;
  /** Names of the layers feeding it. */
  inputs: readonly string[];
  /** Whether it has weights (only those are randomised). */
  weighted: boolean;
}

/** A block: the weighted layers randomised together in one step. */
export interface Block {
  name: string;
  layers: string[];
}

/**
 * For a network of no registered family (a user's model): Keras' usual block names (`block3_conv1`,
 * `block_3_expand`, `conv4_block2_out`, Inception's `mixed5`), each other weighted layer on its own.
 */
export const GENERIC_BLOCK_PATTERNS: readonly RegExp[] = Object.freeze([
  /^(conv\d+_block\d+)_/,
  /^(block_?\d+)_/i,
  /^(mixed\d+)(?:_|$)/,
]);

function byPattern(patterns: readonly RegExp[], name: string): string | null {
  for (const p of patterns) {
    const m = p.exec(name);
    if (m) return m[1] ?? m[0];
  }
  return null;
}

/**
 * The weighted layers of a network grouped into blocks, input to output (`layers` in topological
 * order). A weighted layer that no pattern names follows its output through single-consumer
 * layers to the first merge (a layer with several inputs) and joins the block of that merge's
 * first named input: Xception's `conv2d` -> `batch_normalization` -> `add`, whose other input is
 * `block2_pool`, is in block2.
 */
export function groupBlocks(family: FamilyName | null, layers: readonly BlockLayer[]): Block[] {
  const patterns = family ? BLOCK_PATTERNS[family] : GENERIC_BLOCK_PATTERNS;
  const byName = new Map(layers.map((l) => [l.name, l]));
  const consumers = new Map<string, string[]>();
  for (const l of layers) {
    for (const i of l.inputs) consumers.set(i, [...(consumers.get(i) ?? []), l.name]);
  }
  const viaMerge = (name: string): string | null => {
    const seen = new Set<string>();
    let at = name;
    for (;;) {
      const next = consumers.get(at) ?? [];
      if (next.length !== 1 || seen.has(next[0])) return null;
      const layer = byName.get(next[0]);
      if (!layer) return null;
      seen.add(layer.name);
      if (layer.inputs.length > 1) {
        for (const i of layer.inputs) {
          const block = i === at ? null : byPattern(patterns, i);
          if (block) return block;
        }
        return null;
      }
      at = layer.name;
    }
  };
  const blocks: Block[] = [];
  const index = new Map<string, Block>();
  for (const l of layers) {
    if (!l.weighted) continue;
    const name = byPattern(patterns, l.name) ?? viaMerge(l.name) ?? l.name;
    let block = index.get(name);
    if (!block) {
      block = { name, layers: [] };
      index.set(name, block);
      blocks.push(block);
    }
    block.layers.push(l.name);
  }
  return blocks;
}

/** The order of the cascade: the top block (the classifier) first, the input's last. */
export function cascadeOrder(blocks: readonly Block[]): Block[] {
  return [...blocks].reverse();
}
