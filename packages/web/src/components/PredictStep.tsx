// Step 2: the photo exactly as uploaded, and the top-k predictions as a bar chart whose bars
// choose the class to explain.
import type { Explorer } from '../state/useExplorer';
import { MAX_K } from '../state/useExplorer';
import { formatMs, formatPercent, shortLabel } from '../lib/format';
import { Tip } from './Tip';

export function PredictStep({ x }: { x: Explorer }) {
  const preds = x.analysis?.predictions.slice(0, x.k) ?? [];
  const selected = x.analysis?.predictions.find((p) => p.index === x.classIndex);
  const selectedRank = selected ? x.analysis!.predictions.indexOf(selected) + 1 : 0;
  return (
    <section className="step" aria-labelledby="step-predict">
      <h2 id="step-predict">
        <span className="step-num" aria-hidden="true">
          2
        </span>
        Predict
      </h2>
      {x.photo ? (
        <figure className="original">
          <img
            src={x.photo.url}
            alt={`The photo as uploaded: ${x.photo.name}`}
            width={x.photo.width}
            height={x.photo.height}
          />
          <figcaption>
            As uploaded, unchanged ({x.photo.width}×{x.photo.height}). The network sees it resized
            to {x.spec.inputSize}×{x.spec.inputSize}.
          </figcaption>
        </figure>
      ) : (
        <p className="placeholder">Your photo appears here, exactly as you uploaded it.</p>
      )}

      <div className="k-slider">
        <label htmlFor="k-range">
          Top predictions: <output htmlFor="k-range">{x.k}</output>
        </label>
        <Tip
          block
          text="How many of the most probable classes to list. The network scores all 1,000 ImageNet classes; the runners-up show what else it considered."
        >
          <input
            id="k-range"
            type="range"
            min={1}
            max={MAX_K}
            step={1}
            value={x.k}
            onChange={(e) => x.setK(Number(e.target.value))}
            aria-valuetext={`${x.k} predictions`}
          />
        </Tip>
      </div>

      {x.predictError && (
        <p className="status status-error" role="alert">
          {x.predictError}
        </p>
      )}
      {x.photo && !x.analysis && !x.predictError && (
        <p className="status" aria-live="polite">
          {x.modelStatus.kind === 'ready' ? 'Classifying...' : 'Waiting for the network...'}
        </p>
      )}
      {preds.length > 0 && (
        <fieldset className="chart" aria-describedby="chart-help">
          <legend>Predictions: choose the class to explain</legend>
          <p id="chart-help" className="hint">
            Probability of each class (softmax). The marked bar is the class explained in step 3.
          </p>
          <ol className="bars">
            {preds.map((p, i) => {
              const on = p.index === x.classIndex;
              return (
                <li key={p.index}>
                  <Tip
                    block
                    text={`Explain "${p.label}" (class ${p.index}, logit ${p.logit.toFixed(2)}). Explaining a runner-up shows the evidence for that class in the same photo.`}
                  >
                    {(tipId) => (
                      <label
                        className={`bar${on ? ' bar-selected' : ''}`}
                        data-class-index={p.index}
                      >
                        <input
                          type="radio"
                          name="explained-class"
                          value={p.index}
                          checked={on}
                          onChange={() => x.setClassIndex(p.index)}
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
          {selected && selectedRank > x.k && (
            <p className="hint">
              Explaining {shortLabel(selected.label)} (rank {selectedRank}, hidden by the slider).
            </p>
          )}
          <p className="hint">Classified in {formatMs(x.analysis!.ms)}.</p>
        </fieldset>
      )}
    </section>
  );
}
