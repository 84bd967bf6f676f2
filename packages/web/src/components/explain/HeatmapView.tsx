// Step 3's first view: the heatmap over the photo with everything that shapes it, and its checks.
// Display settings (colormap, opacity, scale) recompose on the main thread; method, class, layer
// and counterfactual ask the worker.
import { CAM_METHODS } from '@gradcam-explorer/core/pure';
import { shownExplanation } from '../../state/explanation';
import { useStore } from '../../state/store';
import { TrustPanel } from '../trust/TrustPanel';
import { ChannelsPicker } from './ChannelsPicker';
import { Colorbar } from './Colorbar';
import { CounterfactualSwitch } from './CounterfactualSwitch';
import { DisplayControls } from './DisplayControls';
import { DownloadPng } from './DownloadPng';
import { HeatmapFigure, HeatmapPlaceholder } from './HeatmapFigure';
import { HidePanel } from './HidePanel';
import { LayerPicker } from './LayerPicker';
import { MapCaveat } from './MapCaveat';
import { MethodPicker } from './MethodPicker';
import { RunStatus } from './RunStatus';
import type { ExplainViewProps } from './views';

export function HeatmapView({ onLearnMore }: ExplainViewProps) {
  const e = useStore(shownExplanation);
  const photo = useStore((s) => s.photo);
  const shownMethod = e ? CAM_METHODS.find((m) => m.id === e.result.method) : undefined;
  return (
    <>
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
    </>
  );
}
