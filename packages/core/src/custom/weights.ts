// Puts the stored weights into the built layers. Keras loads `.h5` weights by order (legacy
// `load_weights_from_hdf5_group`: per top-level layer, a nested model's trainable weights first,
// then the rest) and `.keras` weights by layer path and variable index; TensorFlow.js by name.
// Here names are tried first (`<layer>/<weight>` at the end of the stored name), then Keras' order,
// and every shape is checked before any value is assigned.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { UserModelError } from './errors.js';
import type { FlatLayer } from './flatten.js';
import type { StoredWeight } from './hdf5.js';
import type { WeightStore } from './sources.js';

interface Slot {
  layer: FlatLayer;
  variable: tfl.LayerVariable;
  /** `kernel`, `moving_mean`... */
  key: string;
  shape: number[];
}

/** Keras 3 names the depthwise kernel `kernel`; Keras 2 `depthwise_kernel`. */
const ALIASES: Readonly<Record<string, readonly string[]>> = {
  depthwise_kernel: ['depthwise_kernel', 'kernel'],
};

const fmt = (s: readonly number[]) => `[${s.join(', ')}]`;
const sameShape = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((d, i) => d === b[i]);
const stripIndex = (name: string) => name.replace(/:\d+$/, '');

function slotsOf(layers: FlatLayer[], model: tfl.LayersModel): Slot[] {
  return layers.flatMap((layer) =>
    model.getLayer(layer.name).weights.map((variable) => {
      const name = variable.originalName;
      return {
        layer,
        variable,
        key: name.slice(name.lastIndexOf('/') + 1),
        shape: variable.shape as number[],
      };
    }),
  );
}

/** Keras' legacy order for one weights group: trainable weights first, then the others. */
function kerasOrder(slots: Slot[]): Slot[] {
  const trainable = (s: Slot) => s.layer.trainable && s.variable.trainable;
  return [...slots.filter(trainable), ...slots.filter((s) => !trainable(s))];
}

/** Stored weights by `<layer>/<key>` at the end of their names, or null when ambiguous. */
function byName(slots: Slot[], stored: StoredWeight[]): StoredWeight[] | null {
  const used = new Set<StoredWeight>();
  const out: StoredWeight[] = [];
  for (const s of slots) {
    const keys = ALIASES[s.key] ?? [s.key];
    const matches = stored.filter((w) => {
      const n = stripIndex(w.name);
      return keys.some(
        (k) => n === `${s.layer.kerasName}/${k}` || n.endsWith(`/${s.layer.kerasName}/${k}`),
      );
    });
    const fit = matches.filter((w) => sameShape(w.shape, s.shape) && !used.has(w));
    if (fit.length !== 1) return null;
    used.add(fit[0]!);
    out.push(fit[0]!);
  }
  return out;
}

function mismatch(where: string, slots: Slot[], stored: StoredWeight[]): UserModelError {
  if (slots.length !== stored.length) {
    return new UserModelError(
      `The weights do not fit the model's layers: ${where} has ${stored.length} stored weights ` +
        `for ${slots.length} in the config (${slots.map((s) => `${s.layer.name}/${s.key}`).join(', ') || 'none'}). ` +
        'The file is damaged, or its config and weights were saved from different models.',
    );
  }
  const i = slots.findIndex((s, j) => !sameShape(s.shape, stored[j]!.shape));
  const s = slots[i]!;
  return new UserModelError(
    `The weights do not fit the model's layers: layer "${s.layer.name}" (${s.layer.className}) ` +
      `expects ${s.key} of shape ${fmt(s.shape)}, the file has ${fmt(stored[i]!.shape)} ` +
      `("${stored[i]!.name}")`,
  );
}

/** Pairs one group of stored weights with the slots of the layers it belongs to. */
function pairGroup(where: string, slots: Slot[], stored: StoredWeight[]): StoredWeight[] {
  const named = stored.length === slots.length ? byName(slots, stored) : null;
  if (named) return named;
  const ordered = kerasOrder(slots);
  if (
    ordered.length === stored.length &&
    ordered.every((s, i) => sameShape(s.shape, stored[i]!.shape))
  ) {
    // Back to the slots' own order.
    return slots.map((s) => stored[ordered.indexOf(s)]!);
  }
  throw mismatch(where, ordered, stored);
}

/**
 * Assigns every weight of `layers` (built into `model`) from `store`, after checking all of them.
 * Throws a UserModelError naming the layer and shapes when they do not fit.
 */
export function assignUserWeights(
  model: tfl.LayersModel,
  layers: FlatLayer[],
  store: WeightStore,
): number {
  const pairs: [Slot, StoredWeight][] = [];
  if (store.kind === 'paths') {
    for (const layer of layers) {
      const slots = slotsOf([layer], model);
      const stored = store.paths.get(layer.kerasPath) ?? store.paths.get(layer.namePath) ?? [];
      if (slots.length === 0 && stored.length === 0) continue;
      const where = `layer "${layer.name}" (${layer.kerasPath}/vars)`;
      if (
        slots.length !== stored.length ||
        slots.some((s, i) => !sameShape(s.shape, stored[i]!.shape))
      ) {
        throw mismatch(where, slots, stored);
      }
      slots.forEach((s, i) => pairs.push([s, stored[i]!]));
    }
  } else {
    const owners = new Map<string, FlatLayer[]>();
    for (const layer of layers) {
      const key = store.groups.has('') ? '' : layer.owner;
      owners.set(key, [...(owners.get(key) ?? []), layer]);
    }
    for (const [owner, stored] of store.groups) {
      const slots = slotsOf(owners.get(owner) ?? [], model);
      if (slots.length === 0 && stored.length === 0) continue;
      const where = owner ? `weights group "${owner}"` : 'the weights manifest';
      pairGroup(where, slots, stored).forEach((w, i) => pairs.push([slots[i]!, w]));
    }
    for (const [owner, list] of owners) {
      if (!store.groups.has(owner) && slotsOf(list, model).length > 0) {
        throw new UserModelError(
          `The file has no weights for layer "${owner}" (${list[0]!.className}): it is damaged, or ` +
            'its config and weights were saved from different models',
        );
      }
    }
  }
  let count = 0;
  for (const [slot, w] of pairs) {
    const t = tf.tensor(w.data, w.shape);
    slot.variable.write(t);
    t.dispose();
    count += w.data.length;
  }
  return count;
}
