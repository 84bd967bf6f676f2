// Pure helpers of "Can I trust this map?": measurement keys, which earlier result to compare
// with, and the SVG paths and text of the deletion / insertion charts.
import type { CurveDto, FaithfulnessBaseline, MeasureResult } from '../worker/protocol';

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

/** The plot area of a chart in SVG units; probabilities run from 0 to `yMax`. */
export interface PlotBox {
  left: number;
  right: number;
  top: number;
  bottom: number;
  yMax: number;
}

const NICE = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1];

/** The smallest of 1 %, 2 %, 5 %, 10 %, 20 %, 50 %, 100 % at or above every value. */
export function niceMax(values: number[]): number {
  const max = Math.max(0, ...values);
  return NICE.find((n) => max <= n) ?? 1;
}

const round = (v: number) => Math.round(v * 10) / 10;

export function toPoint(box: PlotBox, x: number, y: number): [number, number] {
  const px = box.left + x * (box.right - box.left);
  const py = box.bottom - (Math.min(y, box.yMax) / box.yMax) * (box.bottom - box.top);
  return [round(px), round(py)];
}

/** "M x y L x y ..." through the curve's points. */
export function linePath(box: PlotBox, curve: Pick<CurveDto, 'fractions' | 'probabilities'>) {
  return curve.fractions
    .map((f, i) => {
      const [x, y] = toPoint(box, f, curve.probabilities[i]);
      return `${i ? 'L' : 'M'}${x} ${y}`;
    })
    .join(' ');
}

/** The line closed down to the x axis: the area under the curve. */
export function areaPath(box: PlotBox, curve: Pick<CurveDto, 'fractions' | 'probabilities'>) {
  if (curve.fractions.length === 0) return '';
  const [x0] = toPoint(box, curve.fractions[0], 0);
  const [x1] = toPoint(box, curve.fractions.at(-1)!, 0);
  return `${linePath(box, curve)} L${x1} ${box.bottom} L${x0} ${box.bottom} Z`;
}

/** An area under a curve: three decimals ("0.021"). */
export const formatAuc = (auc: number): string => auc.toFixed(3);

/** An axis tick: "0 %", "2.5 %", "50 %". */
export const formatTick = (p: number): string => `${round(p * 100)} %`;

/** The curve in words for screen readers: the probability at 0, 25, 50, 75 and 100 %. */
export function describeCurve(
  curve: Pick<CurveDto, 'fractions' | 'probabilities'>,
  what: string,
): string {
  const at = (t: number) => {
    let best = 0;
    curve.fractions.forEach((f, i) => {
      if (Math.abs(f - t) < Math.abs(curve.fractions[best] - t)) best = i;
    });
    return `${Math.round(curve.probabilities[best] * 100)} % at ${Math.round(curve.fractions[best] * 100)} %`;
  };
  return `Probability ${[0, 0.25, 0.5, 0.75, 1].map(at).join(', ')} of the pixels ${what}.`;
}
