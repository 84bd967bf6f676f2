// The heatmap over the photo with what it shows in words, or what it waits for.
import { CAM_METHODS } from '@gradcam-explorer/core/pure';
import { formatMs, formatPercent, shortLabel } from '../../format';
import type { ExplanationState } from '../../state/explanation';
import { modelSpec } from '../../state/model';
import type { Photo } from '../../state/photo';
import { useStore } from '../../state/store';
import { modelWait } from '../choose/model-wait';
import { Overlay } from './Overlay';

export function HeatmapFigure({ photo, e }: { photo: Photo; e: ExplanationState }) {
  const shownMethod = CAM_METHODS.find((m) => m.id === e.result.method);
  return (
    <figure className="overlay-figure">
      <Overlay photo={photo} e={e} />
      <figcaption>
        {e.result.counterfactual ? 'Counterfactual ' : ''}
        {shownMethod?.name ?? e.result.method}
        {e.result.channelsScored !== undefined &&
          ` (${e.result.channelsScored} of ${e.result.steps.activationShape[2]} channels)`}{' '}
        for “{shortLabel(e.result.target.label)}” ({formatPercent(e.result.target.probability)}) at{' '}
        <code>{e.result.layer}</code>, computed in {formatMs(e.result.ms)}
      </figcaption>
    </figure>
  );
}

export function HeatmapPlaceholder() {
  const hasPhoto = useStore((s) => s.photo !== null);
  const status = useStore((s) => s.modelStatus);
  const networkName = useStore((s) => modelSpec(s).name);
  const classified = useStore((s) => s.analysis !== null);
  const wait = modelWait(status, networkName);
  return (
    <div className="placeholder overlay-placeholder" data-testid="heatmap-placeholder">
      {!hasPhoto ? (
        <p>
          The heatmap of the class the network finds most likely appears here.
          <br />
          <strong>Next:</strong> choose a photo in step 1.
          {wait && !wait.action ? ` Meanwhile: ${wait.text}` : ''}
        </p>
      ) : wait ? (
        <p>{wait.text} The heatmap follows.</p>
      ) : (
        <p>{classified ? 'Computing the heatmap...' : 'Classifying the photo...'}</p>
      )}
      {hasPhoto && wait && !wait.action && (
        <span
          className={`progress-track${wait.progress === null ? ' indeterminate' : ''}`}
          aria-hidden="true"
        >
          <span
            className="progress-fill"
            style={{ width: wait.progress !== null ? `${wait.progress * 100}%` : undefined }}
          />
        </span>
      )}
    </div>
  );
}
