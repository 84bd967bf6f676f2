// The deletion / insertion charts of "Can I trust this map?": SVG paths, axis ticks, and the
// curves in words.
import type { CurveDto } from '../../worker/protocol';

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
