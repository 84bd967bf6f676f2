// Under the header until the network is ready: what is loading, with its progress, so the first
// thing the learner sees is what the page is doing (step 1 has the details).
import { modelSpec } from '../../state/model';
import { useStore } from '../../state/store';
import { modelWait } from './model-wait';

export function ModelBanner() {
  const status = useStore((s) => s.modelStatus);
  const name = useStore((s) => modelSpec(s).name);
  const hasPhoto = useStore((s) => s.photo !== null);
  const w = modelWait(status, name);
  return (
    <div className="model-banner-slot" aria-live="polite">
      {w && (
        <div className={`model-banner${w.action ? ' action' : ''}`} data-testid="model-banner">
          <span>
            {w.text}
            {!w.action && !hasPhoto && ' You can choose a photo meanwhile.'}
          </span>
          {!w.action && (
            <span
              className={`progress-track${w.progress === null ? ' indeterminate' : ''}`}
              aria-hidden="true"
            >
              <span
                className="progress-fill"
                style={{ width: w.progress !== null ? `${w.progress * 100}%` : undefined }}
              />
            </span>
          )}
        </div>
      )}
    </div>
  );
}
