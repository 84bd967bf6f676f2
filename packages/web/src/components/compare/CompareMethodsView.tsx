// "Compare methods": every method on the photo and class, at the current layer, each with its
// faithfulness scores (core `faithfulness`: deletion and insertion AUCs, average drop). Kept until
// the photo changes.
import { useEffect, useRef } from 'react';
import { CAM_METHODS, getCamMethod } from '@gradcam-explorer/core/pure';
import { formatPercent, shortLabel } from '../../format';
import { explanationSettled, methodsKey, shownMethods } from '../../state/compare';
import { specOf } from '../../state/model';
import { useStore } from '../../state/store';
import { pngFileName } from './export-png';
import { heatOf, MapTile } from './MapTile';
import { ExportPngButton, RunLine, StaleHint, ViewHeader } from './ViewToolbar';

/** An AUC with three significant digits (deletion AUCs are often near 0.01). */
const auc = (v: number) => (v >= 0.1 ? v.toFixed(3) : v.toPrecision(3));

export function CompareMethodsView() {
  const photo = useStore((s) => s.photo);
  const cmp = useStore(shownMethods);
  const run = useStore((s) => s.compareRuns.methods);
  const key = useStore(methodsKey);
  const settled = useStore(explanationSettled);
  const compare = useStore((s) => s.compareMethods);
  const cancel = useStore((s) => s.cancelComparison);
  const root = useRef<HTMLDivElement>(null);

  // Every method and about 43 forward passes per map: run by itself only when nothing is shown.
  useEffect(() => {
    const s = useStore.getState();
    if (key && settled && !shownMethods(s) && !s.compareRuns.methods.running) void compare();
  }, [key, settled, compare]);

  if (!photo) {
    return <p className="placeholder">Choose a photo to compare every method on it.</p>;
  }
  const ok = cmp?.cells.flatMap((c) => ('ok' in c.cell ? [c.cell.ok] : [])) ?? [];
  const measured = ok.flatMap((e) => (e.faithfulness ? [e.faithfulness] : []));
  const bestDeletion = Math.min(...measured.map((f) => f.deletion));
  const bestInsertion = Math.max(...measured.map((f) => f.insertion));
  const cls = cmp ? shortLabel(cmp.className) : '';
  const network = cmp ? specOf(cmp.modelId).name : '';
  const title = cmp
    ? `Every method for “${cls}” on ${photo.name}, ${network} at ${cmp.layer} (${cmp.baseline} baseline)`
    : '';
  return (
    <div className="compare-view" ref={root}>
      <ViewHeader title={cmp ? title : 'Every method on the same photo and class.'}>
        <ExportPngButton
          root={root}
          title={title}
          fileName={pngFileName(photo.name, 'methods', cmp?.modelId, cmp?.classIndex)}
          disabled={!cmp}
        />
      </ViewHeader>
      <RunLine
        run={run}
        what="every method and its faithfulness"
        onCancel={() => cancel('methods')}
        onRun={() => void compare()}
      />
      {cmp && cmp.key !== key && !run.running && (
        <StaleHint onRun={() => void compare()}>
          These maps are for “{cls}” at {cmp.layer} with the {cmp.baseline} baseline; the question
          has changed since.
        </StaleHint>
      )}
      {cmp && (
        <>
          <p className="hint">
            Deletion: the class’s probability as the map’s most important pixels are removed (area
            under the curve, lower is better). Insertion: as they are revealed on a{' '}
            {cmp.baseline === 'blur' ? 'blurred' : 'black'} image (higher is better). Each method
            measures in its own units, so each map is scaled to its own maximum. The best score of
            each kind is marked ★. The scores say whether the marked pixels matter to the network,
            not whether the map would convince a person.
          </p>
          <div className="tile-grid" data-testid="compare-methods-grid">
            {cmp.cells.map(({ method: id, cell }) => {
              const m = CAM_METHODS.find((x) => x.id === id) ?? getCamMethod(id);
              if ('error' in cell) {
                return (
                  <div key={id} className="map-tile tile-empty">
                    <p className="tile-title">{m.name}</p>
                    <p className="status status-error">{cell.error}</p>
                  </div>
                );
              }
              const e = cell.ok;
              const f = e.faithfulness;
              return (
                <MapTile
                  key={id}
                  photo={photo}
                  heat={heatOf(e.output)}
                  label={`${m.name} map for “${cls}” over the photo`}
                  testId={`method-tile-${id}`}
                >
                  <span className="tile-title">
                    {m.name}
                    {e.channelsScored !== undefined && ` (${e.channelsScored} channels)`}
                  </span>
                  {f && (
                    <span className="tile-meta" data-testid="method-scores">
                      deletion {auc(f.deletion)}
                      {f.deletion === bestDeletion ? ' ★' : ''} · insertion {auc(f.insertion)}
                      {f.insertion === bestInsertion ? ' ★' : ''}
                    </span>
                  )}
                  {f && (
                    <span className="tile-meta">
                      average drop {formatPercent(f.averageDrop / 100)}
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
