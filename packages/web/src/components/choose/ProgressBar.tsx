import { formatEta, formatMB } from '../../format';
import type { Progress } from '../../weights/weights-net';

/** A labelled progress bar; indeterminate while `progress` is null. */
export function ProgressBar({ label, progress }: { label: string; progress: Progress | null }) {
  const known = progress !== null && progress.totalBytes > 0;
  const pct = known ? Math.min(100, (100 * progress.receivedBytes) / progress.totalBytes) : 0;
  return (
    <div className="progress">
      <div className="progress-label">
        <span>{label}</span>
        {known && (
          <span className="progress-numbers">
            {formatMB(progress.receivedBytes)} of {formatMB(progress.totalBytes)} ·{' '}
            {formatEta(progress.etaSeconds)}
          </span>
        )}
      </div>
      <div
        className={`progress-track${known ? '' : ' indeterminate'}`}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={known ? Math.round(pct) : undefined}
        aria-valuetext={
          known
            ? `${formatMB(progress.receivedBytes)} of ${formatMB(progress.totalBytes)}`
            : 'Starting'
        }
      >
        <div className="progress-fill" style={{ width: known ? `${pct}%` : undefined }} />
      </div>
    </div>
  );
}
