// What every side-by-side view shares: the run's progress with Cancel, "Cancelled" / errors with a
// way to run again, the shared-scale switch (the display setting of state/scale.ts) and the PNG.
import { useState, type ReactNode, type RefObject } from 'react';
import type { Run } from '../../state/run';
import { useStore } from '../../state/store';
import { Tip } from '../Tip';
import { saveBlob, tilesIn, tilesPng } from './export-png';

export function RunLine({
  run,
  what,
  detail,
  onCancel,
  onRun,
}: {
  run: Run;
  /** "Computing <what>". */
  what: string;
  /** Where the run is, e.g. "block_12 of 20". */
  detail?: string;
  onCancel(): void;
  onRun(): void;
}) {
  return (
    <div aria-live="polite" className="run-status">
      {run.running && (
        <div className="row">
          <span className="status">
            Computing {what}
            {run.progress !== null ? ` · ${Math.round(run.progress * 100)} %` : '...'}
            {detail ? ` · ${detail}` : ''}
          </span>
          <progress
            max={1}
            value={run.progress ?? undefined}
            aria-label={`${what[0].toUpperCase()}${what.slice(1)} progress`}
          />
          <button type="button" className="btn-secondary" onClick={onCancel}>
            Cancel
          </button>
        </div>
      )}
      {run.cancelled && (
        <div className="row">
          <span className="status">Cancelled.</span>
          <button type="button" className="btn-secondary" onClick={onRun}>
            Run again
          </button>
        </div>
      )}
      {run.error && (
        <p className="status status-error" role="alert">
          {run.error}
        </p>
      )}
    </div>
  );
}

/** Shown when the maps on screen answer an earlier question: what they are for, and "Compare again". */
export function StaleHint({ children, onRun }: { children: ReactNode; onRun(): void }) {
  return (
    <p className="hint">
      {children}{' '}
      <button type="button" className="btn-link" onClick={onRun}>
        Compare again
      </button>
    </p>
  );
}

/** "Shared scale": one checkbox for the display setting every comparison reads. */
export function SharedScaleSwitch({ note }: { note?: string }) {
  const mode = useStore((s) => s.scaleMode);
  const setMode = useStore((s) => s.setScaleMode);
  return (
    <Tip
      text={
        note ??
        'Off: each map is divided by its own maximum, so even a weak map reaches full colour. On: the maps shown together share one scale, the largest raw maximum among them.'
      }
    >
      {(tipId) => (
        <label className="inline-radio shared-scale">
          <input
            type="checkbox"
            checked={mode === 'shared'}
            aria-describedby={tipId}
            onChange={(e) => setMode(e.target.checked ? 'shared' : 'own')}
          />
          Shared scale
        </label>
      )}
    </Tip>
  );
}

/** "Download PNG" of the tiles inside `root`, under `title`. */
export function ExportPngButton({
  root,
  title,
  fileName,
  disabled,
}: {
  root: RefObject<HTMLElement | null>;
  title: string;
  fileName: string;
  disabled?: boolean;
}) {
  const [error, setError] = useState<string | null>(null);
  const save = () => {
    setError(null);
    const el = root.current;
    if (!el) return;
    tilesPng(title, tilesIn(el))
      .then((blob) => saveBlob(blob, fileName))
      .catch((e) => setError(e instanceof Error ? e.message : String(e)));
  };
  return (
    <>
      <Tip text="Saves the maps shown here, with their captions, as one PNG image.">
        <button type="button" className="btn-secondary" onClick={save} disabled={disabled}>
          Download PNG
        </button>
      </Tip>
      {error && (
        <p className="status status-error" role="alert">
          {error}
        </p>
      )}
    </>
  );
}

/** The header row of a view: what it shows, then its controls. */
export function ViewHeader({ title, children }: { title: ReactNode; children?: ReactNode }) {
  return (
    <div className="compare-head">
      <p className="compare-title">{title}</p>
      {children && <div className="row compare-actions">{children}</div>}
    </div>
  );
}
