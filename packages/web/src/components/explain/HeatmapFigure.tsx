// The heatmap over the photo with what it shows in words, or what it waits for.
import { CAM_METHODS } from '@gradcam-explorer/core/pure';
import { formatMs, formatPercent, shortLabel } from '../../format';
import type { ExplanationState } from '../../state/explanation';
import { modelReady, modelSpec } from '../../state/model';
import type { Photo } from '../../state/photo';
import { useStore } from '../../state/store';
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
  const ready = useStore(modelReady);
  const networkName = useStore((s) => modelSpec(s).name);
  return (
    <p className="placeholder overlay-placeholder">
      {!hasPhoto
        ? 'Choose a photo to see which regions raise the class score.'
        : ready
          ? 'Computing the heatmap...'
          : `The heatmap appears once the ${networkName} network is loaded (step 1).`}
    </p>
  );
}
