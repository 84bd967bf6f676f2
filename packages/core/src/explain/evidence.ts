// How strong a map is, compared with the opposite question about the same class: every map is
// divided by its own maximum, so a map built from almost nothing looks as hot as a strong one. The
// page's colorbar and its weak-map warning use this (on both.png with MobileNetV2, the
// counterfactual of "tiger cat" peaks at 0.0125, against 0.36 for the evidence for the cat).
import { getCamMethod } from '../cams/registry.js';
import type { AbortSignalLike } from '../util.js';
import type { Analysis, Explanation } from '../engine.js';

/** A map whose raw maximum is below this share of the opposite map's is called weak. */
export const WEAK_RATIO = 0.05;

export interface EvidenceBalance {
  /** The map's raw maximum (before the division by it). */
  rawMax: number;
  /**
   * The raw maximum of the same method's map for the opposite question about the same class: the
   * counterfactual map of an ordinary map, the ordinary map of a counterfactual one.
   */
  oppositeRawMax: number;
  /** rawMax / oppositeRawMax: Infinity when only the opposite map is empty, 0 when both are. */
  ratio: number;
  /** rawMax is below WEAK_RATIO of oppositeRawMax. */
  weak: boolean;
}

export function balanceOf(rawMax: number, oppositeRawMax: number): EvidenceBalance {
  const ratio =
    oppositeRawMax > 0 ? rawMax / oppositeRawMax : rawMax > 0 ? Number.POSITIVE_INFINITY : 0;
  return { rawMax, oppositeRawMax, ratio, weak: oppositeRawMax > 0 && ratio < WEAK_RATIO };
}

/**
 * The balance of an explanation's layer map against the opposite question (same method, layer and
 * class, the gradients' sign reversed): one more run of the method on the analysis' cached
 * gradients. Null for methods without a counterfactual (no gradients to negate) and for
 * pixel-level maps.
 */
export async function evidenceBalance(
  analysis: Pick<Analysis, 'explain'>,
  e: Pick<Explanation, 'method' | 'layer' | 'counterfactual' | 'target' | 'output'>,
  options: { methodOptions?: Readonly<Record<string, number>>; signal?: AbortSignalLike } = {},
): Promise<EvidenceBalance | null> {
  if (e.output.kind !== 'layer' || !getCamMethod(e.method).supportsCounterfactual) return null;
  const opposite = await analysis.explain({
    method: e.method,
    layer: e.layer,
    classIndex: e.target.index,
    counterfactual: !e.counterfactual,
    methodOptions: options.methodOptions,
    signal: options.signal,
  });
  if (opposite.output.kind !== 'layer') return null;
  return balanceOf(e.output.rawMax, opposite.output.rawMax);
}
