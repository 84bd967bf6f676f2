// "Compare classes": the maps of the photo's top-k classes (k as listed in step 2) in one grid, with
// the current method and layer. Recomputed when they change while the view is open; kept until
// the photo changes.
import { useEffect, useRef } from 'react';
import { getCamMethod } from '@gradcam-explorer/core/pure';
import { formatPercent, formatValue, shortLabel } from '../../format';
import { classesKey, explanationSettled, shownClasses } from '../../state/compare';
import { specOf } from '../../state/model';
import { useScaleGains } from '../../state/scale';
import { useStore } from '../../state/store';
import { pngFileName } from './export-png';
import { heatOf, MapTile } from './MapTile';
import { ExportPngButton, RunLine, SharedScaleSwitch, StaleHint, ViewHeader } from './ViewToolbar';

export function CompareClassesView() {
  const photo = useStore((s) => s.photo);
  const cmp = useStore(shownClasses);
  const run = useStore((s) => s.compareRuns.classes);
  const key = useStore(classesKey);
  const settled = useStore(explanationSettled);
  const compare = useStore((s) => s.compareClasses);
  const cancel = useStore((s) => s.cancelComparison);
  const root = useRef<HTMLDivElement>(null);

  // Cheap (one gradient per class): follows the question while the view is open.
  useEffect(() => {
    const s = useStore.getState();
    if (key && settled && shownClasses(s)?.key !== key && !s.compareRuns.classes.running) {
      void compare();
    }
  }, [key, settled, compare]);

  const ok = cmp?.cells.flatMap((c) => ('ok' in c.cell ? [c.cell.ok] : [])) ?? [];
  const gains = useScaleGains(
    ok.map((e) => (e.output.kind === 'layer' ? e.output.rawMax : Number.NaN)),
  );
  if (!photo) {
    return <p className="placeholder">Choose a photo to compare the maps of its top classes.</p>;
  }
  const method = cmp ? getCamMethod(cmp.method) : null;
  const network = cmp ? specOf(cmp.modelId).name : '';
  const pixelLevel = method?.kind === 'saliency';
  const title = cmp
    ? `${method!.name} of the top ${cmp.cells.length} classes of ${photo.name} on ${network}${pixelLevel ? '' : ` at ${cmp.layer}`}`
    : '';
  return (
    <div className="compare-view" ref={root}>
      <ViewHeader title={cmp ? title : 'The maps of the most probable classes, side by side.'}>
        {!pixelLevel && <SharedScaleSwitch />}
        <ExportPngButton
          root={root}
          title={title}
          fileName={pngFileName(photo.name, 'classes', cmp?.modelId, cmp?.method)}
          disabled={!cmp}
        />
      </ViewHeader>
      <RunLine
        run={run}
        what="the maps of the top classes"
        onCancel={() => cancel('classes')}
        onRun={() => void compare()}
      />
      {cmp && cmp.key !== key && !run.running && (
        <StaleHint onRun={() => void compare()}>
          These maps are from before the last change (network, method, layer or number of classes).
        </StaleHint>
      )}
      {cmp && (
        <>
          <p className="hint">
            The same {method!.name} question for each class: where does the photo raise this class’s
            score? Classes listed in step 2 (set how many there).
            {pixelLevel
              ? ' Pixel-level maps have no common unit; each is scaled to its own maximum.'
              : ' The raw maximum under each map says how strong its evidence is.'}
          </p>
          <div className="tile-grid" data-testid="compare-classes-grid">
            {cmp.cells.map(({ classIndex, cell }, i) => {
              if ('error' in cell) {
                return (
                  <p key={classIndex} className="status status-error tile-error">
                    Class {classIndex}: {cell.error}
                  </p>
                );
              }
              const e = cell.ok;
              const gain = gains[ok.indexOf(e)] ?? 1;
              const cls = shortLabel(e.target.label);
              return (
                <MapTile
                  key={classIndex}
                  photo={photo}
                  heat={heatOf(e.output)}
                  gain={Number.isFinite(gain) ? gain : 1}
                  label={`${method!.name} map for “${cls}” over the photo`}
                  testId={`class-tile-${classIndex}`}
                >
                  <span className="tile-title">
                    {i + 1}. {cls}{' '}
                    <span className="tile-num">{formatPercent(e.target.probability)}</span>
                  </span>
                  {e.output.kind === 'layer' && (
                    <span className="tile-meta">
                      raw max {formatValue(e.output.rawMax)}
                      {gain < 1 && ` · ${Math.round(gain * 100)} % of the shared scale`}
                    </span>
                  )}
                </MapTile>
              );
            })}
          </div>
        </>
      )}
    </div>
  );
}
