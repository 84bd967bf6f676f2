// "Can I trust this map?": deletion and insertion curves (Petsiuk et al. 2018) and the confidence
// change of the map-multiplied image, measured in the worker; earlier results for comparison.
import type { Explorer, ExplanationState } from '../state/useExplorer';
import type { CurveDto, FaithfulnessBaseline } from '../worker/protocol';
import {
  areaPath,
  comparisonFor,
  describeCurve,
  formatAuc,
  formatTick,
  linePath,
  measureKey,
  niceMax,
  type Measurement,
  type PlotBox,
} from '../lib/faithfulness-view';
import { formatMs, formatPercent, shortLabel } from '../lib/format';
import { Tip } from './Tip';

const BASELINES: { id: FaithfulnessBaseline; name: string; help: string }[] = [
  {
    id: 'blur',
    name: 'Blur',
    help: 'Removed pixels become a blurred copy of the photo (11×11 Gaussian, as RISE inserts onto). Fewer sharp edges that the network never saw, so a fall in probability is more about the lost content.',
  },
  {
    id: 'black',
    name: 'Black',
    help: 'Removed pixels become black. Simple, but the black patches add edges of their own, which can lower the probability for reasons unrelated to the map.',
  },
];

const W = 280;
const H = 172;
const BOX_BASE = { left: 42, right: W - 18, top: 10, bottom: H - 38 };

function CurveChart({
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

function Legend({ shown, previous }: { shown: Measurement; previous: Measurement | null }) {
  const sample = (cls: string) => (
    <svg width="28" height="10" aria-hidden="true">
      <line x1="1" x2="27" y1="5" y2="5" className={`line ${cls}`} />
    </svg>
  );
  return (
    <ul className="curve-legend">
      <li>
        {sample('current')} {shown.label} at <code>{shown.layer}</code> (this map)
      </li>
      {previous && (
        <li>
          {sample('previous')} {previous.label} at <code>{previous.layer}</code> (measured before,
          dashed)
        </li>
      )}
    </ul>
  );
}

function MeasuredTable({ list, shownKey }: { list: Measurement[]; shownKey: string }) {
  return (
    <table className="auc-table" data-testid="auc-table">
      <caption>Measured on this photo</caption>
      <thead>
        <tr>
          <th scope="col">Map</th>
          <th scope="col">Class</th>
          <th scope="col">Baseline</th>
          <th scope="col" className="num">
            Deletion AUC <span className="hint-inline">(lower is better)</span>
          </th>
          <th scope="col" className="num">
            Insertion AUC <span className="hint-inline">(higher is better)</span>
          </th>
          <th scope="col" className="num">
            Image × map
          </th>
        </tr>
      </thead>
      <tbody>
        {list.map((m) => (
          <tr key={m.key} className={m.key === shownKey ? 'shown' : undefined}>
            <th scope="row">
              {m.label} <code>{m.layer}</code>
              {m.key === shownKey && <span className="tag"> shown</span>}
            </th>
            <td>{m.className}</td>
            <td>{m.baseline === 'blur' ? 'Blur' : 'Black'}</td>
            <td className="num">{formatAuc(m.result.deletion.auc)}</td>
            <td className="num">{formatAuc(m.result.insertion.auc)}</td>
            <td className="num">
              {formatPercent(m.result.confidence.before)} →{' '}
              {formatPercent(m.result.confidence.after)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function TrustPanel({ x, e }: { x: Explorer; e: ExplanationState }) {
  const r = e.result;
  const cls = shortLabel(r.target.label);
  const key = measureKey({
    method: r.method,
    layer: r.layer,
    classIndex: r.target.index,
    counterfactual: r.counterfactual,
    baseline: x.baseline,
    channels: r.channelsScored,
  });
  const shown = x.measurements.find((m) => m.key === key) ?? null;
  const previous = comparisonFor(x.measurements, key);
  const run = x.measureRun;
  const canMeasure = !x.explainRun.running && !run.running;
  const yMax = shown
    ? niceMax([
        ...shown.result.deletion.probabilities,
        ...shown.result.insertion.probabilities,
        ...(previous
          ? [...previous.result.deletion.probabilities, ...previous.result.insertion.probabilities]
          : []),
      ])
    : 1;
  const res = shown?.result;
  return (
    <section className="trust-panel" aria-labelledby="trust-title">
      <h3 className="sub" id="trust-title">
        Can I trust this map?
      </h3>
      <p className="hint">
        Remove the pixels the map ranks highest, step by step, and watch the probability of “{cls}”
        fall; or start from the baseline (by default a blurred copy of the photo) and reveal them,
        and watch it rise. The faster, the more faithful the map (Petsiuk et al. 2018). Compare
        methods on the same photo, class and baseline.
      </p>
      <div className="row trust-controls">
        <fieldset className="baseline-choice" disabled={run.running}>
          <legend>Removed pixels become</legend>
          {BASELINES.map((b) => (
            <Tip key={b.id} text={b.help}>
              {(tipId) => (
                <label className="inline-radio">
                  <input
                    type="radio"
                    name="faithfulness-baseline"
                    value={b.id}
                    checked={x.baseline === b.id}
                    onChange={() => x.setBaseline(b.id)}
                    aria-describedby={tipId}
                  />
                  {b.name}
                </label>
              )}
            </Tip>
          ))}
        </fieldset>
        {run.running ? (
          <div className="row" aria-live="polite">
            <span className="status">
              Measuring{run.progress !== null ? ` · ${Math.round(run.progress * 100)} %` : '...'}
            </span>
            <progress max={1} value={run.progress ?? 0} aria-label="Measurement progress" />
            <Tip text="Stops the measurement. Results measured before stay.">
              <button type="button" className="btn-secondary" onClick={x.cancelMeasure}>
                Cancel
              </button>
            </Tip>
          </div>
        ) : (
          <Tip text="Runs the network about 40 times on this photo with pixels removed or revealed in order of the map (20 steps each), plus once on the photo multiplied by the map. A few seconds; everything stays in this browser.">
            <button
              type="button"
              className="btn-primary"
              onClick={() => void x.measureMap()}
              disabled={!canMeasure}
            >
              {shown ? 'Measure again' : 'Measure'}
            </button>
          </Tip>
        )}
      </div>
      <div aria-live="polite">
        {run.cancelled && <p className="status">Measurement cancelled.</p>}
        {run.error && (
          <p className="status status-error" role="alert">
            {run.error}
          </p>
        )}
      </div>
      {res && shown && (
        <div className="trust-result" data-testid="trust-result">
          <div className="curves">
            <CurveChart
              kind="deletion"
              curve={res.deletion}
              previous={previous?.result.deletion ?? null}
              yMax={yMax}
              label={shown.label}
              prevLabel={previous?.label ?? null}
              className={cls}
            />
            <CurveChart
              kind="insertion"
              curve={res.insertion}
              previous={previous?.result.insertion ?? null}
              yMax={yMax}
              label={shown.label}
              prevLabel={previous?.label ?? null}
              className={cls}
            />
          </div>
          <Legend shown={shown} previous={previous} />
          <ul className="auc-text">
            <li>
              Deletion AUC <strong data-testid="auc-deletion">{formatAuc(res.deletion.auc)}</strong>{' '}
              — lower is better
              {previous && ` (${previous.label}: ${formatAuc(previous.result.deletion.auc)})`}
            </li>
            <li>
              Insertion AUC{' '}
              <strong data-testid="auc-insertion">{formatAuc(res.insertion.auc)}</strong> — higher
              is better
              {previous && ` (${previous.label}: ${formatAuc(previous.result.insertion.auc)})`}
            </li>
            <li data-testid="logit-range">
              Logit of “{cls}”: {res.deletion.logits[0].toFixed(2)} on the photo,{' '}
              {res.deletion.logits[res.deletion.logits.length - 1].toFixed(2)} on the baseline image
              (probability {formatPercent(res.deletion.probabilities[0])} and{' '}
              {formatPercent(res.deletion.probabilities[res.deletion.probabilities.length - 1])}).
              The curves plot the probability, which also moves when other classes change and
              saturates near 0 and 1; the logit is the class&rsquo;s own score.
            </li>
            <li data-testid="confidence-change">
              Multiplying the image by the map: {formatPercent(res.confidence.before)}{' '}
              <span aria-hidden="true">→</span>
              <span className="visually-hidden"> becomes </span>{' '}
              {formatPercent(res.confidence.after)}
              {res.confidence.averageDrop > 0
                ? ` (a drop of ${Math.round(res.confidence.averageDrop)} % of the confidence)`
                : ' (confidence rises or stays)'}
            </li>
          </ul>
          <p className="hint">
            {r.counterfactual &&
              'This is a counterfactual map: it ranks what argues against the class, so removing those pixels should raise the probability, and the usual reading of the areas is reversed. '}
            {res.steps} steps, {BASELINES.find((b) => b.id === res.baseline)!.name.toLowerCase()}{' '}
            baseline, measured in {formatMs(res.ms)}.
          </p>
        </div>
      )}
      {x.measurements.length > 0 && <MeasuredTable list={x.measurements} shownKey={key} />}
    </section>
  );
}
