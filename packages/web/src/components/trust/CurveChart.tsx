// A deletion or insertion curve (plain SVG): the class's probability as the map's most important
// pixels are removed or revealed, with an earlier result drawn muted beside it.
import type { CurveDto } from '../../worker/protocol';
import { areaPath, describeCurve, formatTick, linePath, type PlotBox } from './chart';

const W = 280;
const H = 172;
const BOX_BASE = { left: 42, right: W - 18, top: 10, bottom: H - 38 };

export function CurveChart({
  kind,
  curve,
  previous,
  yMax,
  label,
  prevLabel,
  className,
}: {
  kind: 'deletion' | 'insertion';
  curve: CurveDto;
  previous: CurveDto | null;
  yMax: number;
  label: string;
  prevLabel: string | null;
  className: string;
}) {
  const box: PlotBox = { ...BOX_BASE, yMax };
  const verb = kind === 'deletion' ? 'removed' : 'revealed';
  const ticksY = [0, yMax / 2, yMax];
  const ticksX = [0, 0.5, 1];
  const y = (p: number) => box.bottom - (p / yMax) * (box.bottom - box.top);
  const x = (f: number) => box.left + f * (box.right - box.left);
  const described =
    `${label}: ${describeCurve(curve, verb)}` +
    (previous && prevLabel ? ` ${prevLabel}: ${describeCurve(previous, verb)}` : '');
  return (
    <figure className="curve-figure" data-testid={`curve-${kind}`}>
      <svg viewBox={`0 0 ${W} ${H}`} className="curve-chart" role="img" aria-label={described}>
        {ticksY.map((t) => (
          <g key={t}>
            <line x1={box.left} x2={box.right} y1={y(t)} y2={y(t)} className="grid" />
            <text x={box.left - 5} y={y(t) + 3.5} textAnchor="end">
              {formatTick(t)}
            </text>
          </g>
        ))}
        {ticksX.map((t) => (
          <text key={t} x={x(t)} y={box.bottom + 14} textAnchor="middle">
            {formatTick(t)}
          </text>
        ))}
        <text x={(box.left + box.right) / 2} y={H - 6} textAnchor="middle" className="axis-title">
          pixels {verb}
        </text>
        <path d={areaPath(box, curve)} className="area" />
        {previous && <path d={linePath(box, previous)} className="line previous" />}
        <path d={linePath(box, curve)} className="line current" />
        <line x1={box.left} x2={box.left} y1={box.top} y2={box.bottom} className="axis" />
        <line x1={box.left} x2={box.right} y1={box.bottom} y2={box.bottom} className="axis" />
      </svg>
      <figcaption>
        {kind === 'deletion' ? 'Deletion' : 'Insertion'}: probability of “{className}” as the most
        important pixels are {verb}
      </figcaption>
    </figure>
  );
}
