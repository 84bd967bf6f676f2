// Step 2's bar chart: the top-k classes by probability; choosing a bar explains that class.
import { formatMs, formatPercent, shortLabel } from '../../format';
import { useStore } from '../../state/store';
import { Tip } from '../Tip';

export function PredictionBars() {
  const analysis = useStore((s) => s.analysis);
  const k = useStore((s) => s.k);
  const classIndex = useStore((s) => s.classIndex);
  const setClassIndex = useStore((s) => s.setClassIndex);
  const preds = analysis?.predictions.slice(0, k) ?? [];
  if (!analysis || preds.length === 0) return null;
  const selected = analysis.predictions.find((p) => p.index === classIndex);
  const selectedRank = selected ? analysis.predictions.indexOf(selected) + 1 : 0;
  return (
    <fieldset className="chart" aria-describedby="chart-help">
      <legend>Predictions: choose the class to explain</legend>
      <p id="chart-help" className="hint">
        Probability of each class (softmax). The marked bar is the class explained in step 3.
      </p>
      <ol className="bars">
        {preds.map((p, i) => {
          const on = p.index === classIndex;
          return (
            <li key={p.index}>
              <Tip
                block
                text={`Explain "${p.label}" (class ${p.index}, logit ${p.logit.toFixed(2)}). Explaining a runner-up shows the evidence for that class in the same photo.`}
              >
                {(tipId) => (
                  <label className={`bar${on ? ' bar-selected' : ''}`} data-class-index={p.index}>
                    <input
                      type="radio"
                      name="explained-class"
                      value={p.index}
                      checked={on}
                      onChange={() => setClassIndex(p.index)}
                      aria-describedby={tipId}
                    />
                    <span className="bar-head">
                      <span className="bar-rank" aria-hidden="true">
                        {i + 1}
                      </span>
                      <span className="bar-label">{shortLabel(p.label)}</span>
                      <span className="bar-pct">{formatPercent(p.probability)}</span>
                    </span>
                    <span className="bar-track" aria-hidden="true">
                      <span
                        className="bar-fill"
                        style={{ width: `${Math.max(0.5, p.probability * 100)}%` }}
                      />
                    </span>
                    {on && <span className="bar-tag">✓ Explained</span>}
                  </label>
                )}
              </Tip>
            </li>
          );
        })}
      </ol>
      {selected && selectedRank > k && (
        <p className="hint">
          Explaining {shortLabel(selected.label)} (rank {selectedRank}, hidden by the slider).
        </p>
      )}
      <p className="hint">Classified in {formatMs(analysis.ms)}.</p>
    </fieldset>
  );
}
