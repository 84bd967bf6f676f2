// The faithfulness results kept for the current photo ("Can I trust this map?"): what each one
// measured (its key), and which earlier result to compare it with.
import type { FaithfulnessBaseline, MeasureResult } from '../worker/protocol';

/** What a measurement depends on: the map's question and the baseline. */
export interface MeasureSpec {
  method: string;
  layer: string;
  classIndex: number;
  counterfactual: boolean;
  baseline: FaithfulnessBaseline;
  /** Score-CAM: channels scored. */
  channels?: number;
}

export interface Measurement extends MeasureSpec {
  key: string;
  /** Method name with its variant, e.g. "Score-CAM, 16 channels". */
  label: string;
  className: string;
  result: MeasureResult;
}

export const measureKey = (s: MeasureSpec): string =>
  [
    s.method,
    s.layer,
    s.classIndex,
    s.counterfactual ? 'cf' : '',
    s.baseline,
    s.channels ?? '',
  ].join('|');

/** Adds `m`, replacing an earlier result for the same key; the newest comes last. */
export function upsertMeasurement(list: Measurement[], m: Measurement): Measurement[] {
  return [...list.filter((x) => x.key !== m.key), m];
}

/**
 * The result to draw muted beside `key`'s: the newest other one for the same class, baseline and
 * direction (other method, layer or channel count), or null.
 */
export function comparisonFor(list: Measurement[], key: string): Measurement | null {
  const shown = list.find((m) => m.key === key);
  if (!shown) return null;
  for (let i = list.length - 1; i >= 0; i--) {
    const m = list[i];
    if (
      m.key !== key &&
      m.classIndex === shown.classIndex &&
      m.baseline === shown.baseline &&
      m.counterfactual === shown.counterfactual
    ) {
      return m;
    }
  }
  return null;
}
