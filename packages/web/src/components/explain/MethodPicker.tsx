// The CAM methods of core's registry, each with what it needs (gradients, none, pixel level).
import { CAM_METHODS } from '@gradcam-explorer/core/pure';
import { useStore } from '../../state/store';
import { Tip } from '../Tip';

const KIND_LABEL: Record<string, string> = {
  gradient: 'gradients',
  'gradient-free': 'no gradients',
  saliency: 'pixel level',
};

export function MethodPicker() {
  const method = useStore((s) => s.method);
  const setMethod = useStore((s) => s.setMethod);
  return (
    <fieldset className="methods">
      <legend>Method</legend>
      <div className="method-list">
        {CAM_METHODS.map((m) => (
          <Tip key={m.id} block text={`${m.summary} (${m.citation})`}>
            {(tipId) => (
              <label className={`method-option${m.id === method ? ' selected' : ''}`}>
                <input
                  type="radio"
                  name="method"
                  value={m.id}
                  checked={m.id === method}
                  onChange={() => setMethod(m.id)}
                  aria-describedby={tipId}
                />
                <span className="method-name">{m.name}</span>
                <span className="method-kind">{KIND_LABEL[m.kind]}</span>
              </label>
            )}
          </Tip>
        ))}
      </div>
    </fieldset>
  );
}
