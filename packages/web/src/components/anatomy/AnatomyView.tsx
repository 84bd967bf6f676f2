// "How was this computed?": the heatmap beside its computation, one stage at a time. Linked
// views: choosing a channel (in the thumbnails, the bars or a cell's list) shows it in detail;
// pointing at a heatmap cell outlines it in every picture and lists its channels.
import { CAM_METHODS } from '@gradcam-explorer/core/pure';
import { STAGES } from '../../state/anatomy';
import { shownExplanation } from '../../state/explanation';
import { useStore } from '../../state/store';
import { Colorbar } from '../explain/Colorbar';
import { CounterfactualSwitch } from '../explain/CounterfactualSwitch';
import { HeatmapPlaceholder } from '../explain/HeatmapFigure';
import { LayerPicker } from '../explain/LayerPicker';
import { RunStatus } from '../explain/RunStatus';
import { panelId, tabId, ViewTabs } from '../explain/ViewTabs';
import type { ExplainViewProps } from '../explain/views';
import { CellPicker } from './CellPicker';
import { CellReadout } from './CellReadout';
import { ChannelCard } from './ChannelCard';
import { MethodSelect } from './MethodSelect';
import { Stage } from './Stages';
import { useAnatomy } from './use-anatomy';

const STAGE_ITEMS = STAGES.map((s, i) => ({ id: s.id, label: `${i + 1}. ${s.title}` }));

export function AnatomyView(_props: ExplainViewProps) {
  const e = useStore(shownExplanation);
  const photo = useStore((s) => s.photo);
  const stage = useStore((s) => s.anatomyStage);
  const setStage = useStore((s) => s.setAnatomyStage);
  const run = useStore((s) => s.anatomyRun);
  const a = useAnatomy();
  const pixelLevel = e?.result.output.kind === 'saliency';
  const method = e ? CAM_METHODS.find((m) => m.id === e.result.method) : undefined;
  let body;
  if (!e) {
    body = (
      <p className="placeholder">
        The computation appears here once a photo is explained: every stage from the feature maps to
        the heatmap.
      </p>
    );
  } else if (pixelLevel) {
    body = (
      <p className="placeholder" data-testid="anatomy-pixel-level">
        {method?.name ?? e.result.method} works at the pixels: it backpropagates to the photo
        itself, with no channel weights at a layer to take apart. Choose a layer method (Grad-CAM,
        LayerCAM, Score-CAM...) to see its stages.
      </p>
    );
  } else if (!a) {
    body = run.error ? (
      <p className="status status-error" role="alert">
        {run.error}
      </p>
    ) : (
      <p className="status">Taking the map apart...</p>
    );
  } else {
    const s = STAGES[stage];
    body = (
      <>
        <ViewTabs
          name="stage"
          label="Stages of the computation"
          items={STAGE_ITEMS}
          value={s.id}
          onChange={(id) => setStage(STAGES.findIndex((x) => x.id === id))}
          className="stage-tabs"
        />
        <div
          role="tabpanel"
          id={panelId('stage', s.id)}
          aria-labelledby={tabId('stage', s.id)}
          className="stage-panel"
          data-testid="stage-panel"
        >
          <div className="stage-head">
            <h3 className="sub">
              Stage {stage + 1} of {STAGES.length}: {s.title}
              <span className="stage-method"> · {a.method.name}</span>
            </h3>
            <div className="stage-nav">
              <button
                type="button"
                className="btn-secondary"
                onClick={() => setStage(stage - 1)}
                disabled={stage === 0}
              >
                Previous stage
              </button>
              <button
                type="button"
                className="btn-secondary"
                onClick={() => setStage(stage + 1)}
                disabled={stage === STAGES.length - 1}
              >
                Next stage
              </button>
            </div>
          </div>
          <Stage i={stage} a={a} />
        </div>
        <ChannelCard {...a} />
      </>
    );
  }
  return (
    <div className="anatomy">
      <div className="anatomy-map">
        {e && photo ? (
          <>
            <figure className="overlay-figure">
              <CellPicker photo={photo} e={e} />
            </figure>
            <Colorbar e={e} />
          </>
        ) : (
          <HeatmapPlaceholder />
        )}
        <RunStatus />
      </div>
      <div className="anatomy-main">{body}</div>
      <div className="anatomy-side">
        {!pixelLevel && e && <CellReadout a={a} />}
        <div className="anatomy-settings">
          <MethodSelect />
          <CounterfactualSwitch />
          <LayerPicker />
        </div>
      </div>
    </div>
  );
}
