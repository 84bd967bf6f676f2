// Step 2: the photo exactly as uploaded, and the top-k predictions as a bar chart whose bars
// choose the class to explain.
import { modelSpec } from '../../state/model';
import { MAX_K } from '../../state/photo';
import { useStore } from '../../state/store';
import { modelWait } from '../choose/model-wait';
import { Tip } from '../Tip';
import { PredictionBars } from './PredictionBars';

export function PredictStep() {
  const photo = useStore((s) => s.photo);
  const inputSize = useStore((s) => modelSpec(s).inputSize);
  const status = useStore((s) => s.modelStatus);
  const name = useStore((s) => modelSpec(s).name);
  const wait = modelWait(status, name);
  const k = useStore((s) => s.k);
  const setK = useStore((s) => s.setK);
  const classified = useStore((s) => s.analysis !== null);
  const predictError = useStore((s) => s.predictError);
  return (
    <section className="step" aria-labelledby="step-predict">
      <h2 id="step-predict">
        <span className="step-num" aria-hidden="true">
          2
        </span>
        Predict
      </h2>
      {photo ? (
        <figure className="original">
          <img
            src={photo.url}
            alt={`The photo as uploaded: ${photo.name}`}
            width={photo.width}
            height={photo.height}
          />
          <figcaption>
            As uploaded, unchanged ({photo.width}×{photo.height}). The network sees it resized to{' '}
            {inputSize}×{inputSize}.
          </figcaption>
        </figure>
      ) : (
        <p className="placeholder">
          Your photo appears here, exactly as you uploaded it, with what the network sees in it.
          <br />
          <strong>Next:</strong> choose a photo in step 1.
        </p>
      )}

      <div className="k-slider">
        <label htmlFor="k-range">
          Top predictions: <output htmlFor="k-range">{k}</output>
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
            value={k}
            onChange={(e) => setK(Number(e.target.value))}
            aria-valuetext={`${k} predictions`}
          />
        </Tip>
      </div>

      {predictError && (
        <p className="status status-error" role="alert">
          {predictError}
        </p>
      )}
      {photo && !classified && !predictError && (
        <p className="status" aria-live="polite" data-testid="predict-wait">
          {wait ? `${wait.text} The photo is classified as soon as it is ready.` : 'Classifying...'}
        </p>
      )}
      <PredictionBars />
    </section>
  );
}
