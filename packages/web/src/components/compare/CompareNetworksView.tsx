// "Compare networks": the same photo, class and method on every network whose weights are on this
// computer or in this browser, each at its own default layer, with its grid and its prediction.
// The others say how to get their weights. Choosing another network in step 1 keeps these maps.
import { useEffect, useRef } from 'react';
import { getCamMethod, MODELS } from '@gradcam-explorer/core/pure';
import { formatMs, formatPercent, formatValue, shortLabel } from '../../format';
import {
  explanationSettled,
  howToGetWeights,
  networksKey,
  shownNetworks,
  type NetworkCell,
} from '../../state/compare';
import { useScaleGains } from '../../state/scale';
import { useStore } from '../../state/store';
import type { Photo } from '../../state/photo';
import { pngFileName } from './export-png';
import { heatOf, MapTile } from './MapTile';
import { ExportPngButton, RunLine, SharedScaleSwitch, StaleHint, ViewHeader } from './ViewToolbar';

const WAITING: Record<Exclude<NetworkCell['kind'], 'done' | 'missing' | 'error'>, string> = {
  waiting: 'Waiting for its turn...',
  fetching: 'Fetching its weights from this computer...',
  loading: 'Loading the network...',
  explaining: 'Computing its map...',
  cancelled: 'Not computed (cancelled).',
};

function NetworkTile({
  photo,
  id,
  cell,
  gain,
  className,
}: {
  photo: Photo;
  id: string;
  /** Any state but 'missing' (those are listed apart). */
  cell: Exclude<NetworkCell, { kind: 'missing' }>;
  gain: number;
  className: string;
}) {
  const spec = MODELS.find((m) => m.id === id)!;
  if (cell.kind === 'done') {
    const r = cell.result;
    const top = r.predictions[0];
    const agrees = top.index === r.target.index;
    return (
      <MapTile
        photo={photo}
        heat={heatOf(r.output)}
        gain={gain}
        label={`${spec.name}: map for “${className}” over the photo`}
        testId={`network-tile-${id}`}
      >
        <span className="tile-title">{spec.name}</span>
        <span className="tile-meta" data-testid="network-grid">
          {r.grid.height}×{r.grid.width} grid at {r.layer} ({r.grid.channels} channels)
        </span>
        <span className="tile-meta" data-testid="network-prediction">
          Predicts {shortLabel(top.label)} ({formatPercent(top.probability)})
          {agrees ? '' : `; “${className}” ${formatPercent(r.target.probability)}`}
        </span>
        {r.output.kind === 'layer' && (
          <span className="tile-meta">
            raw max {formatValue(r.output.rawMax)}
            {gain < 1 && ` · ${Math.round(gain * 100)} % of the shared scale`}
          </span>
        )}
        <span className="tile-meta">
          {r.loadMs > 0 ? `loaded in ${formatMs(r.loadMs)}, ` : ''}map in {formatMs(r.ms)}
        </span>
      </MapTile>
    );
  }
  return (
    <div className="map-tile tile-empty" data-testid={`network-tile-${id}`}>
      <p className="tile-title">{spec.name}</p>
      {cell.kind === 'error' ? (
        <p className="status status-error">{cell.message}</p>
      ) : (
        <p className="hint">
          {WAITING[cell.kind]}
          {cell.kind === 'fetching' && cell.fraction !== null
            ? ` ${Math.round(cell.fraction * 100)} %`
            : ''}
        </p>
      )}
    </div>
  );
}

export function CompareNetworksView() {
  const photo = useStore((s) => s.photo);
  const cmp = useStore(shownNetworks);
  const run = useStore((s) => s.compareRuns.networks);
  const key = useStore(networksKey);
  const settled = useStore(explanationSettled);
  const serverKnown = useStore((s) => s.serverModels !== null);
  const compare = useStore((s) => s.compareNetworks);
  const cancel = useStore((s) => s.cancelComparison);
  const root = useRef<HTMLDivElement>(null);

  // Loading other networks can take a while: run by itself only when nothing is shown yet.
  useEffect(() => {
    const s = useStore.getState();
    if (key && settled && !shownNetworks(s) && !s.compareRuns.networks.running) void compare();
  }, [key, settled, compare]);

  const done = cmp
    ? MODELS.flatMap((m) => {
        const c = cmp.cells[m.id];
        return c?.kind === 'done' ? [c.result] : [];
      })
    : [];
  const gains = useScaleGains(
    done.map((r) => (r.output.kind === 'layer' ? r.output.rawMax : Number.NaN)),
  );
  if (!photo) {
    return <p className="placeholder">Choose a photo to compare what each network sees.</p>;
  }
  const method = cmp ? getCamMethod(cmp.method) : null;
  const cls = cmp ? shortLabel(cmp.className) : '';
  const missing = cmp ? MODELS.filter((m) => cmp.cells[m.id]?.kind === 'missing') : [];
  const title = cmp ? `${method!.name} for “${cls}” on ${photo.name}, network by network` : '';
  return (
    <div className="compare-view" ref={root}>
      <ViewHeader
        title={cmp ? title : 'The same photo and class on every network whose weights are here.'}
      >
        {method?.kind !== 'saliency' && (
          <SharedScaleSwitch note="On: every network's map on one scale, the largest raw maximum among them. Networks measure in their own units (their activations and gradients differ), so a shared scale compares strength only roughly." />
        )}
        <ExportPngButton
          root={root}
          title={title}
          fileName={pngFileName(photo.name, 'networks', cmp?.method, cmp?.classIndex)}
          disabled={done.length === 0}
        />
      </ViewHeader>
      <RunLine
        run={run}
        what="the map on each network"
        onCancel={() => cancel('networks')}
        onRun={() => void compare()}
      />
      {cmp && cmp.key !== key && !run.running && (
        <StaleHint onRun={() => void compare()}>
          These maps are for “{cls}” with {method!.name}; the question has changed since.
        </StaleHint>
      )}
      {cmp && (
        <>
          <p className="hint">
            Each network at its own default layer: the grid is the map’s resolution before it is
            stretched over the photo, so a 7×7 map can only point to one of 49 regions. Networks
            trained on the same images still learn different features, so their maps differ.
          </p>
          <div className="tile-grid" data-testid="compare-networks-grid">
            {MODELS.map((m) => {
              const cell = cmp.cells[m.id] ?? { kind: 'waiting' };
              if (cell.kind === 'missing') return null;
              const i = cell.kind === 'done' ? done.indexOf(cell.result) : -1;
              const g = i >= 0 ? gains[i] : 1;
              return (
                <NetworkTile
                  key={m.id}
                  photo={photo}
                  id={m.id}
                  cell={cell}
                  gain={Number.isFinite(g) ? g : 1}
                  className={cls}
                />
              );
            })}
          </div>
          {missing.length > 0 && (
            <div className="missing-networks" data-testid="networks-missing">
              <h4>Not on this computer yet</h4>
              <ul>
                {missing.map((m) => {
                  const how = howToGetWeights(m.id, serverKnown);
                  return (
                    <li key={m.id} data-testid={`network-missing-${m.id}`}>
                      <strong>{m.name}</strong> ({how.size}): {how.steps}{' '}
                      <code>{how.fileName}</code>
                    </li>
                  );
                })}
              </ul>
              <p className="hint">
                Then come back here and compare again: the maps computed so far are kept, also when
                you choose another network in step 1.
              </p>
            </div>
          )}
        </>
      )}
    </div>
  );
}
