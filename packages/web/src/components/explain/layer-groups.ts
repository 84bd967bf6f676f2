// The layer picker's groups: layers by block, read from Keras' layer names (block_3_*, block3_*,
// conv3_block2_*, expanded_conv_*, conv1_*). Layers without a block in their name belong to the
// block before them (Xception's add, conv2d...), to "Stem" before the first block, and to "Top"
// after the last one (MobileNetV2's Conv_1, out_relu). By default the picker offers each block's
// output, its last layer; "all layers" adds the inside of every block, batch norms included.
import type { CamLayerInfo } from '@gradcam-explorer/core/pure';

export interface LayerGroup {
  /** The block's key, e.g. `block_3`, `conv3_block2`. */
  key: string;
  /** Words for the picker, e.g. "Block 3", "Stage 3, block 2". */
  label: string;
  layers: CamLayerInfo[];
}

const PATTERNS: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^conv(\d+)_block(\d+)_/, (m) => `Stage ${m[1]}, block ${m[2]}`],
  [/^block_?(\d+)_/, (m) => `Block ${m[1]}`],
  [/^expanded_conv(_|$)/, () => 'Block 0'],
  [/^conv(\d+)_/, (m) => `Stage ${m[1]}`],
];

function blockOf(name: string): { key: string; label: string } | null {
  for (const [re, label] of PATTERNS) {
    const m = re.exec(name);
    if (m) return { key: m[0].replace(/_$/, ''), label: label(m) };
  }
  return null;
}

export function groupLayers(layers: readonly CamLayerInfo[]): LayerGroup[] {
  const groups: LayerGroup[] = [];
  let pending: CamLayerInfo[] = [];
  for (const l of layers) {
    const b = blockOf(l.name);
    if (!b) {
      // No block in the name: the block before it, if any.
      if (groups.length) groups.at(-1)!.layers.push(l);
      else pending.push(l);
      continue;
    }
    if (groups.at(-1)?.key !== b.key) {
      if (pending.length) groups.push({ key: 'stem', label: 'Stem', layers: pending });
      pending = [];
      groups.push({ key: b.key, label: b.label, layers: [] });
    }
    groups.at(-1)!.layers.push(l);
  }
  if (pending.length) groups.push({ key: 'stem', label: 'Stem', layers: pending });
  // The layers after the last named block (MobileNetV2's Conv_1, Conv_1_bn, out_relu): "Top".
  const last = groups.at(-1);
  if (last && last.key !== 'stem') {
    const i = last.layers.findIndex((l, j) => j > 0 && !blockOf(l.name));
    const tail = i > 0 ? last.layers.slice(i) : [];
    if (tail.length && tail.every((l) => !blockOf(l.name))) {
      last.layers = last.layers.slice(0, i);
      groups.push({ key: 'top', label: 'Top', layers: tail });
    }
  }
  return groups;
}

/** The layers offered by default: each block's output (its last layer), the default and `keep`. */
export function blockOutputs(groups: readonly LayerGroup[], keep?: string): CamLayerInfo[] {
  const out: CamLayerInfo[] = [];
  for (const g of groups) {
    for (const [i, l] of g.layers.entries()) {
      if (i === g.layers.length - 1 || l.isDefault || l.name === keep) out.push(l);
    }
  }
  return out;
}
