// The model-parameter randomisation test of Adebayo, Gilmer, Muelly, Goodfellow, Hardt and Kim,
// "Sanity Checks for Saliency Maps", NeurIPS 2018, section 3 ("cascading randomization"): the
// network's weights are re-initialised from the top block down, one block at a time, and after each
// step the map of the same image and class is compared with the trained network's map. A map that
// explains the network must change as the network is destroyed; one that barely changes (the paper
// finds this for guided backpropagation) shows the image more than the network.
import * as tf from '@tensorflow/tfjs-core';
import { imageToInput, type ModelExplainer } from '../engine.js';
import { getCamMethod } from '../cams/registry.js';
import type { CamOutput } from '../cams/types.js';
import type { FamilyName } from '../models/types.js';
import { classLabel } from '../network.js';
import { upsampleBilinear } from '../render/upsample.js';
import { now, throwIfAborted, type AbortSignalLike } from '../util.js';
import { cascadeOrder, groupBlocks, type Block } from './blocks.js';
import { randomizeLayers, WeightSnapshot } from './randomize.js';
import { SANITY_METHODS } from './methods.js';
import { SSIM_DEFAULTS, spearman, ssim } from './similarity.js';

export interface SanityOptions {
  /** The class whose map is compared at every step (kept fixed as the network is destroyed). */
  classIndex: number;
  /** Method ids (default SANITY_METHODS). */
  methods?: readonly string[];
  /** Layer of the layer methods (default: the network's default layer). */
  layer?: string;
  /** Method options, e.g. Score-CAM's `maxChannels`. */
  methodOptions?: Readonly<Record<string, number>>;
  /** Seed of the re-initialised weights and of the random baseline (default 1). */
  seed?: number;
  /** Unrelated inputs (uniform noise images) for the random baseline (default 4). */
  baselineInputs?: number;
  /** Uniformly random maps for the random baseline (default 16). */
  baselineMaps?: number;
  /** Return each map (for pictures); the similarity numbers are always returned. */
  keepMaps?: boolean;
  signal?: AbortSignalLike;
  onProgress?: (fraction: number, stage: SanityStage) => void;
}

/** Where the check is, for progress messages. */
export interface SanityStage {
  phase: 'original' | 'baseline' | 'cascade';
  /** Cascade step, 1-based (0 before the cascade). */
  step: number;
  steps: number;
  /** The block just randomised (cascade only). */
  block: string | null;
}

/** A map at its own resolution, normalised to [0, 1] (layer maps ReLU'd, saliency magnitudes). */
export interface SanityMap {
  width: number;
  height: number;
  values: Float32Array;
}

export interface Similarity {
  /** Spearman rank correlation with the trained network's map, in [-1, 1]. */
  spearman: number;
  /** Mean SSIM with the trained network's map, in [-1, 1]. */
  ssim: number;
}

export interface SanityMethodStep extends Similarity {
  /** The map's maximum before normalisation (layer maps; 0: the map is empty). */
  rawMax?: number;
  map?: SanityMap;
}

export interface SanityStep {
  /** The block randomised at this step; null for the trained network (step 0). */
  block: string | null;
  /** Its weighted layers. */
  layers: string[];
  /** The class's probability and logit on the network as it is at this step. */
  probability: number;
  logit: number;
  /** The network's top-1 class at this step. */
  top: { index: number; label: string; probability: number };
  methods: Record<string, SanityMethodStep>;
}

/** The paper's reference: how similar maps are that share nothing but chance. */
export interface SanityBaseline {
  /** The trained network's map of the photo against its maps of unrelated inputs (noise images). */
  unrelatedInputs: Similarity & { n: number };
  /** The trained network's map against uniformly random maps of the same size. */
  randomMaps: Similarity & { n: number };
}

export interface SanityResult {
  model: string;
  classIndex: number;
  label: string;
  layer: string;
  methods: string[];
  seed: number;
  /** Blocks in the order they were randomised (the top first). */
  order: string[];
  /** Step 0 is the trained network; step i has the first i blocks of `order` randomised. */
  steps: SanityStep[];
  baseline: Record<string, SanityBaseline>;
  /** How maps are compared. */
  comparison: {
    /** Maps are compared at the model's input resolution (layer maps upsampled bilinearly). */
    height: number;
    width: number;
    spearman: string;
    ssim: typeof SSIM_DEFAULTS & { reference: string };
    randomization: string;
  };
  ms: number;
}

/**
 * The network's weighted layers grouped into blocks (input to output): by its family's rule for a
 * registered network, by the generic rule for a user's model.
 */
export function networkBlocks(explainer: ModelExplainer): Block[] {
  const layers = explainer.executor.graph.nodes.map((n) => ({
    name: n.name,
    inputs: n.inputs,
    weighted: n.layer.weights.length > 0,
  }));
  const family = (explainer as { spec?: { family: { name: FamilyName } } }).spec?.family.name;
  return groupBlocks(family ?? null, layers);
}

/** Input size of the network, height x width. */
interface Size {
  height: number;
  width: number;
}

/** The map as compared: [0, 1] values at the input size. */
function atInput(map: SanityMap, size: Size): Float32Array {
  return upsampleBilinear(map.values, map.height, map.width, size.height, size.width);
}

function sanityMap(o: CamOutput): SanityMap {
  return o.kind === 'layer'
    ? { width: o.width, height: o.height, values: o.values }
    : { width: o.width, height: o.height, values: o.magnitude };
}

function compare(a: Float32Array, b: Float32Array, size: Size): Similarity {
  return { spearman: spearman(a, b), ssim: ssim(a, b, size.height, size.width) };
}

/** Mulberry32: a small seeded PRNG for the noise images and random maps. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

/**
 * Runs the cascading randomisation test on `input` ([1, S, S, 3], preprocessed; not disposed).
 * The network's trained weights are restored exactly before this returns, also when it throws or
 * is cancelled (the model is randomised in place: run nothing else on it meanwhile).
 */
export async function sanityCheck(
  explainer: ModelExplainer,
  input: tf.Tensor4D,
  options: SanityOptions,
): Promise<SanityResult> {
  const t0 = now();
  const profile = explainer.profile;
  const size: Size = { height: profile.inputHeight, width: profile.inputWidth };
  const methods = [...(options.methods ?? SANITY_METHODS)];
  if (methods.length === 0) throw new Error('The sanity check needs at least one method');
  methods.forEach((m) => getCamMethod(m));
  const layer = options.layer ?? profile.defaultLayer;
  explainer.executor.keepFor(layer);
  const seed = options.seed ?? 1;
  const nInputs = options.baselineInputs ?? 4;
  const nMaps = options.baselineMaps ?? 16;
  const { classIndex, signal } = options;
  const order = cascadeOrder(networkBlocks(explainer));
  const units = (1 + order.length + nInputs) * methods.length;
  let done = 0;
  const tick = (stage: SanityStage) => options.onProgress?.(++done / units, stage);

  /** Every method's map of `x` on the network as it is now. */
  const mapsOf = async (x: tf.Tensor4D, stage: SanityStage) => {
    const analysis = explainer.analyzeInput(tf.clone(x));
    try {
      const maps: Record<string, { map: SanityMap; rawMax?: number }> = {};
      for (const method of methods) {
        throwIfAborted(signal);
        const e = await analysis.explain({
          method,
          classIndex,
          layer,
          methodOptions: options.methodOptions,
          signal,
        });
        maps[method] = {
          map: sanityMap(e.output),
          rawMax: e.output.kind === 'layer' ? e.output.rawMax : undefined,
        };
        tick(stage);
      }
      const top = analysis.top(1)[0];
      return {
        maps,
        probability: analysis.probabilities[classIndex],
        logit: analysis.logits[classIndex],
        top: { index: top.index, label: top.label, probability: top.probability },
      };
    } finally {
      analysis.dispose();
    }
  };

  const snapshot = new WeightSnapshot();
  try {
    const first = await mapsOf(input, {
      phase: 'original',
      step: 0,
      steps: order.length,
      block: null,
    });
    const original = Object.fromEntries(methods.map((m) => [m, atInput(first.maps[m].map, size)]));
    const stepOf = (block: Block | null, r: Awaited<ReturnType<typeof mapsOf>>): SanityStep => ({
      block: block?.name ?? null,
      layers: block?.layers ?? [],
      probability: r.probability,
      logit: r.logit,
      top: r.top,
      methods: Object.fromEntries(
        methods.map((m) => {
          const { map, rawMax } = r.maps[m];
          return [
            m,
            {
              ...compare(original[m], atInput(map, size), size),
              ...(rawMax !== undefined ? { rawMax } : {}),
              ...(options.keepMaps ? { map } : {}),
            },
          ];
        }),
      ),
    });
    const steps: SanityStep[] = [stepOf(null, first)];

    // The random baseline, on the trained network (before anything is randomised).
    const random = prng(seed);
    const unrelated: Record<string, Similarity[]> = Object.fromEntries(methods.map((m) => [m, []]));
    for (let i = 0; i < nInputs; i++) {
      const data = new Uint8ClampedArray(size.height * size.width * 4);
      for (let p = 0; p < data.length; p++)
        data[p] = p % 4 === 3 ? 255 : Math.floor(random() * 256);
      const x = imageToInput(profile, { width: size.width, height: size.height, data });
      try {
        const r = await mapsOf(x, { phase: 'baseline', step: 0, steps: order.length, block: null });
        for (const m of methods) {
          unrelated[m].push(compare(original[m], atInput(r.maps[m].map, size), size));
        }
      } finally {
        x.dispose();
      }
    }
    const baseline: Record<string, SanityBaseline> = {};
    for (const m of methods) {
      const { width, height } = first.maps[m].map;
      const maps: Similarity[] = [];
      for (let i = 0; i < nMaps; i++) {
        const values = new Float32Array(width * height);
        for (let p = 0; p < values.length; p++) values[p] = random();
        maps.push(compare(original[m], atInput({ width, height, values }, size), size));
      }
      const summary = (list: Similarity[]) => ({
        spearman: mean(list.map((s) => s.spearman)),
        ssim: mean(list.map((s) => s.ssim)),
        n: list.length,
      });
      baseline[m] = { unrelatedInputs: summary(unrelated[m]), randomMaps: summary(maps) };
    }

    // The cascade: the top block first, each step keeping the blocks randomised before it.
    for (const [i, block] of order.entries()) {
      throwIfAborted(signal);
      randomizeLayers(explainer.model, block.layers, snapshot, seed);
      explainer.executor.weightsChanged();
      const r = await mapsOf(input, {
        phase: 'cascade',
        step: i + 1,
        steps: order.length,
        block: block.name,
      });
      steps.push(stepOf(block, r));
    }

    return {
      model: profile.id,
      classIndex,
      label: classLabel(profile, classIndex),
      layer,
      methods,
      seed,
      order: order.map((b) => b.name),
      steps,
      baseline,
      comparison: {
        ...size,
        spearman: 'Spearman rank correlation (average ranks for ties) of the two maps',
        ssim: {
          ...SSIM_DEFAULTS,
          reference:
            'Wang, Bovik, Sheikh, Simoncelli, IEEE TIP 2004: 11x11 Gaussian window (sigma 1.5), ' +
            'K1 0.01, K2 0.03, L 1, mean over the window positions inside the map',
        },
        randomization:
          'Trainable weights re-drawn from their Keras initialisers (Glorot-uniform kernels, ' +
          'zero biases and batch-norm shifts, unit batch-norm scales); batch-norm moving ' +
          'statistics kept; the class stays fixed',
      },
      ms: now() - t0,
    };
  } finally {
    snapshot.restore();
    explainer.executor.weightsChanged();
  }
}
