// One similarity measure (Spearman or SSIM) along the cascade, one line per method, with the
// random baseline of each method as a dashed reference line (plain SVG).
import { CAM_METHODS } from '@gradcam-explorer/core/pure';
import type { SanityDto } from '../../worker/compare-protocol';

const W = 520;
const H = 220;
const BOX = { left: 40, right: W - 12, top: 12, bottom: H - 52 };

/** Line colours by position (colour-blind safe: Okabe & Ito). */
export const METHOD_COLOURS = ['#d55e00', '#0072b2', '#009e73', '#cc79a7', '#e69f00', '#56b4e9'];

export type Measure = 'spearman' | 'ssim';

export const MEASURE_NAMES: Record<Measure, string> = {
  spearman: 'Spearman rank correlation',
  ssim: 'SSIM',
};

const nameOf = (id: string) => CAM_METHODS.find((m) => m.id === id)?.name ?? id;

/** The chart in words, for its accessible name. */
export function describeSanity(r: SanityDto, measure: Measure): string {
  const n = r.steps.length - 1;
  return (
    `${MEASURE_NAMES[measure]} with the trained network’s map, after each of ${n} randomisation steps: ` +
    r.methods
      .map((m) => {
        const v = r.steps.map((s) => s.methods[m][measure]);
        return (
          `${nameOf(m)} ${v[1].toFixed(2)} after the first step, ${v[n].toFixed(2)} after the last` +
          ` (random baseline ${r.baseline[m].unrelatedInputs[measure].toFixed(2)})`
        );
      })
      .join('; ')
  );
}

export function SanityChart({ r, measure }: { r: SanityDto; measure: Measure }) {
  const n = r.steps.length - 1;
  const x = (i: number) => BOX.left + (i / Math.max(1, n)) * (BOX.right - BOX.left);
  const y = (v: number) => BOX.bottom - ((v + 1) / 2) * (BOX.bottom - BOX.top);
  const every = Math.max(1, Math.ceil(n / 10));
  return (
    <figure className="sanity-figure" data-testid={`sanity-chart-${measure}`}>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        className="sanity-chart"
        role="img"
        aria-label={describeSanity(r, measure)}
      >
        {[-1, -0.5, 0, 0.5, 1].map((t) => (
          <g key={t}>
            <line x1={BOX.left} x2={BOX.right} y1={y(t)} y2={y(t)} className="grid" />
            <text x={BOX.left - 5} y={y(t) + 3.5} textAnchor="end">
              {t}
            </text>
          </g>
        ))}
        {r.steps.map((s, i) =>
          i % every === 0 || i === n ? (
            <text
              key={i}
              x={x(i)}
              y={BOX.bottom + 10}
              textAnchor="end"
              transform={`rotate(-40 ${x(i)} ${BOX.bottom + 10})`}
              className="tick-label"
            >
              {s.block ?? 'trained'}
            </text>
          ) : null,
        )}
        {r.methods.map((m, k) => {
          const colour = METHOD_COLOURS[k % METHOD_COLOURS.length];
          const b = r.baseline[m].unrelatedInputs[measure];
          const d = r.steps
            .map(
              (s, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)} ${y(s.methods[m][measure]).toFixed(1)}`,
            )
            .join(' ');
          return (
            <g key={m}>
              <line
                x1={BOX.left}
                x2={BOX.right}
                y1={y(b)}
                y2={y(b)}
                stroke={colour}
                className="baseline"
              />
              <path d={d} stroke={colour} className="line" />
              {r.steps.map((s, i) => (
                <circle key={i} cx={x(i)} cy={y(s.methods[m][measure])} r={2.2} fill={colour} />
              ))}
            </g>
          );
        })}
        <line x1={BOX.left} x2={BOX.left} y1={BOX.top} y2={BOX.bottom} className="axis" />
      </svg>
      <figcaption>
        <strong>{MEASURE_NAMES[measure]}</strong> with the trained network’s map (1 = the same map),
        step by step from the top block down.{' '}
        <span className="sanity-legend">
          {r.methods.map((m, k) => (
            <span key={m}>
              <span
                className="sanity-swatch"
                style={{ background: METHOD_COLOURS[k % METHOD_COLOURS.length] }}
                aria-hidden="true"
              />
              {nameOf(m)}
            </span>
          ))}
          <span>
            <span className="sanity-swatch sanity-swatch-dashed" aria-hidden="true" />
            random baseline (unrelated inputs)
          </span>
        </span>
      </figcaption>
    </figure>
  );
}
