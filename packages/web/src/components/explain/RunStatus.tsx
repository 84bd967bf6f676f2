// The map being computed: progress and Cancel, "Cancelled." and Run again, or the error.
import { methodMeta } from '../../state/explanation';
import { useStore } from '../../state/store';
import { Tip } from '../Tip';

export function RunStatus() {
  const run = useStore((s) => s.explainRun);
  const classified = useStore((s) => s.analysis !== null);
  const methodName = useStore((s) => methodMeta(s).name);
  const cancelExplain = useStore((s) => s.cancelExplain);
  const rerunExplain = useStore((s) => s.rerunExplain);
  const busy = classified && run.running;
  return (
    <div aria-live="polite" className="run-status">
      {busy && (
        <div className="row">
          <span className="status">
            Computing {methodName}
            {run.progress !== null ? ` · ${Math.round(run.progress * 100)} %` : '...'}
          </span>
          {run.progress !== null && (
            <progress max={1} value={run.progress} aria-label={`${methodName} progress`} />
          )}
          <Tip text="Stops the computation. The last finished heatmap stays on screen.">
            <button type="button" className="btn-secondary" onClick={cancelExplain}>
              Cancel
            </button>
          </Tip>
        </div>
      )}
      {run.cancelled && classified && (
        <div className="row">
          <span className="status">Cancelled.</span>
          <Tip text="Starts the cancelled computation again with the current settings.">
            <button type="button" className="btn-secondary" onClick={rerunExplain}>
              Run again
            </button>
          </Tip>
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
