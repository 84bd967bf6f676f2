// Step 3: the heatmap over the photo and everything that shapes it. Display settings (colormap,
// opacity) recompose on the main thread; method, class, layer and counterfactual ask the worker.
import { CAM_METHODS } from '@gradcam-explorer/core/pure';
import { shownExplanation } from '../../state/explanation';
import { useStore } from '../../state/store';
import { TrustPanel } from '../trust/TrustPanel';
import { ChannelsPicker } from './ChannelsPicker';
import { Colorbar } from './Colorbar';
import { ComputationDetails } from './ComputationDetails';
import { CounterfactualSwitch } from './CounterfactualSwitch';
import { DisplayControls } from './DisplayControls';
import { DownloadPng } from './DownloadPng';
import { HeatmapFigure, HeatmapPlaceholder } from './HeatmapFigure';
import { HidePanel } from './HidePanel';
import { LayerPicker } from './LayerPicker';
import { MapCaveat } from './MapCaveat';
import { MethodPicker } from './MethodPicker';
import { RunStatus } from './RunStatus';

export function ExplainStep({
  onLearnMore,
}: {
  /** Opens the guide, at the element with id `section` when given. */
  onLearnMore(section?: string): void;
}) {
  const e = useStore(shownExplanation);
  const photo = useStore((s) => s.photo);
  const shownMethod = e ? CAM_METHODS.find((m) => m.id === e.result.method) : undefined;

  return (
    <section className="step step-explain" aria-labelledby="step-explain">
      <h2 id="step-explain">
        <span className="step-num" aria-hidden="true">
          3
        </span>
        Explain
      </h2>
      <div className="explain-grid">
        <div className="explain-view">
          {e && photo ? (
            <>
              <HeatmapFigure photo={photo} e={e} />
              <Colorbar e={e} />
              <MapCaveat kind={shownMethod?.kind ?? 'gradient'} onLearnMore={onLearnMore} />
            </>
          ) : (
            <HeatmapPlaceholder />
          )}
          <RunStatus />
          {e && photo && <DownloadPng photo={photo} e={e} />}
        </div>

        <div className="explain-controls">
          <MethodPicker />
          <ChannelsPicker />
          <CounterfactualSwitch />
          <LayerPicker />
          <DisplayControls />
        </div>
      </div>

      {e && <TrustPanel e={e} />}

      {e && photo && e.result.counterfactual && <HidePanel photo={photo} e={e} />}

      {e && photo && <ComputationDetails photo={photo} e={e} />}
    </section>
  );
}
