// Step 1: what the app teaches, the photo, the architecture (with its weights), Reset.
import { useStore } from '../../state/store';
import { Tip } from '../Tip';
import { ModelPicker } from './ModelPicker';
import { PhotoPicker } from './PhotoPicker';
import { UserModelPanel } from './UserModelPanel';
import { WeightsPanel } from './WeightsPanel';

export function ChooseStep({ onLearnMore }: { onLearnMore(): void }) {
  const reset = useStore((s) => s.reset);
  const userModel = useStore((s) => s.userModel !== null && s.modelId === s.userModel.modelId);
  return (
    <section className="step" aria-labelledby="step-choose">
      <div className="step-head">
        <h2 id="step-choose">
          <span className="step-num" aria-hidden="true">
            1
          </span>
          Choose
        </h2>
        <Tip text="Clears the photo, the predictions and every setting, forgets weights files you loaded yourself, and returns to the default network with its official weights.">
          <button type="button" className="btn-secondary" onClick={reset}>
            Reset
          </button>
        </Tip>
      </div>
      <div className="welcome">
        <p>
          A classifier names what is in a photo; <strong>Grad-CAM</strong> marks the regions whose
          features, at one layer, raise the score of a class. It is a first-order approximation of
          the network around your photo, not a view of what it &ldquo;looked at&rdquo;. Give it a
          photo, pick a network, and compare the explanations.
        </p>
        <Tip text="Opens a short guide: how a CNN sees, what Grad-CAM computes, and how to read the heatmaps.">
          <button type="button" className="btn-secondary" onClick={onLearnMore}>
            Learn more
          </button>
        </Tip>
      </div>

      <PhotoPicker />
      <ModelPicker />
      {!userModel && <WeightsPanel />}
      <UserModelPanel />
    </section>
  );
}
