// "Can I trust this map?": deletion and insertion curves (Petsiuk et al. 2018) and the confidence
// change of the map-multiplied image, measured in the worker; earlier results for comparison.
import { formatMs, formatPercent, shortLabel } from '../../format';
import type { ExplanationState } from '../../state/explanation';
import { comparisonFor, measureKey } from '../../state/measurements';
import { useStore } from '../../state/store';
import type { FaithfulnessBaseline } from '../../worker/protocol';
import { Tip } from '../Tip';
import { formatAuc, niceMax } from './chart';
import { CurveChart } from './CurveChart';
import { Legend, MeasuredTable } from './MeasuredTable';

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

export function TrustPanel({ e }: { e: ExplanationState }) {
  const baseline = useStore((s) => s.baseline);
  const setBaseline = useStore((s) => s.setBaseline);
  const measurements = useStore((s) => s.measurements);
  const run = useStore((s) => s.measureRun);
  const explaining = useStore((s) => s.explainRun.running);
  const measureMap = useStore((s) => s.measureMap);
  const cancelMeasure = useStore((s) => s.cancelMeasure);
  const r = e.result;
  const cls = shortLabel(r.target.label);
  const key = measureKey({
    method: r.method,
    layer: r.layer,
    classIndex: r.target.index,
    counterfactual: r.counterfactual,
    baseline,
    channels: r.channelsScored,
  });
  const shown = measurements.find((m) => m.key === key) ?? null;
  const previous = comparisonFor(measurements, key);
  const canMeasure = !explaining && !run.running;
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
                    checked={baseline === b.id}
                    onChange={() => setBaseline(b.id)}
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
              <button type="button" className="btn-secondary" onClick={cancelMeasure}>
                Cancel
              </button>
            </Tip>
          </div>
        ) : (
          <Tip text="Runs the network about 40 times on this photo with pixels removed or revealed in order of the map (20 steps each), plus once on the photo multiplied by the map. A few seconds; everything stays in this browser.">
            <button
              type="button"
              className="btn-primary"
              onClick={() => void measureMap()}
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
      {measurements.length > 0 && <MeasuredTable list={measurements} shownKey={key} />}
    </section>
  );
}
