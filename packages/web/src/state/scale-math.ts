// Honest scales: every map arrives divided by its own maximum (the hottest cell is 1 however weak
// the evidence). In "shared" mode, maps shown together are drawn on one scale instead: each map's
// values are multiplied by its raw maximum over the largest raw maximum among them. Compare views
// use `useScaleGains(rawMaxes)` (scale.ts); the single heatmap shares its scale with the opposite
// map of the same class (the evidence for it and against it), see `heatmapScale`. Plain functions.
import type { ExplainResult } from '../worker/protocol';

export type ScaleMode = 'own' | 'shared';

/**
 * The factor each map's normalised values are multiplied by: 1 for every map in 'own' mode; in
 * 'shared' mode rawMax_i / max_j rawMax_j (a map with a zero maximum stays zero).
 */
export function scaleGains(rawMaxes: readonly number[], mode: ScaleMode): number[] {
  if (mode === 'own') return rawMaxes.map(() => 1);
  const top = Math.max(0, ...rawMaxes.filter(Number.isFinite));
  return rawMaxes.map((m) => (top > 0 && m > 0 ? m / top : m > 0 ? 1 : 0));
}

/** The value full colour stands for: each map's own maximum, or the shared one. */
export function scaleTops(rawMaxes: readonly number[], mode: ScaleMode): number[] {
  if (mode === 'own') return [...rawMaxes];
  const top = Math.max(0, ...rawMaxes.filter(Number.isFinite));
  return rawMaxes.map(() => top);
}

export interface HeatmapScale {
  /** Multiplies the map's normalised values (1: its own maximum is full colour). */
  gain: number;
  /** The raw value full colour stands for. */
  top: number;
  /** The map's own raw maximum. */
  rawMax: number;
  /** True when the scale is shared with the opposite map. */
  shared: boolean;
}

/**
 * The single heatmap's scale: its own maximum, or in 'shared' mode one scale with the same class's
 * opposite map (ordinary and counterfactual), when the worker measured it. Null for pixel-level
 * maps (no raw maximum).
 */
export function heatmapScale(
  e: { result: Pick<ExplainResult, 'output' | 'balance'> },
  mode: ScaleMode,
): HeatmapScale | null {
  const o = e.result.output;
  if (o.kind !== 'layer') return null;
  const b = e.result.balance;
  if (mode !== 'shared' || !b) return { gain: 1, top: o.rawMax, rawMax: o.rawMax, shared: false };
  const [gain] = scaleGains([o.rawMax, b.oppositeRawMax], 'shared');
  const [top] = scaleTops([o.rawMax, b.oppositeRawMax], 'shared');
  return { gain, top, rawMax: o.rawMax, shared: true };
}
