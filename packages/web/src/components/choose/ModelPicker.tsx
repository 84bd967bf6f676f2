// Step 1's architectures: one card per network in core's registry, with where its weights are.
import { MODELS } from '@gradcam-explorer/core/pure';
import { formatMB } from '../../format';
import { useStore } from '../../state/store';
import { Tip } from '../Tip';

export function ModelPicker() {
  const modelId = useStore((s) => s.modelId);
  const serverModels = useStore((s) => s.serverModels);
  const cached = useStore((s) => s.cached);
  const selectModel = useStore((s) => s.selectModel);
  const status = useStore((s) => s.modelStatus.kind);
  const busy = ['starting', 'checking', 'fetching', 'downloading', 'loading'].includes(status);
  return (
    <fieldset className="models">
      <legend>Architecture</legend>
      {MODELS.map((m) => {
        const server = serverModels?.find((s) => s.id === m.id);
        const onDisk = server?.available ?? false;
        const inBrowser = cached.some((c) => c.modelId === m.id);
        const loading = m.id === modelId && busy;
        const where = loading
          ? 'Loading...'
          : onDisk
            ? 'On this computer'
            : inBrowser
              ? 'Saved in this browser'
              : serverModels === null
                ? 'Checking...'
                : 'Not downloaded';
        return (
          <Tip
            key={m.id}
            block
            text={`${m.description} Changing the network classifies the photo again; different networks look at different evidence.`}
          >
            {(tipId) => (
              <label className={`model-card${modelId === m.id ? ' selected' : ''}`}>
                <input
                  type="radio"
                  name="model"
                  value={m.id}
                  checked={modelId === m.id}
                  onChange={() => selectModel(m.id)}
                  aria-describedby={tipId}
                />
                <span className="model-text">
                  <span className="model-top">
                    <span className="model-name">{m.name}</span>
                    <span
                      className={`model-where${!loading && (onDisk || inBrowser) ? ' cached' : ''}`}
                    >
                      {!loading && (onDisk || inBrowser) && <span aria-hidden="true">✓ </span>}
                      {where}
                    </span>
                  </span>
                  <span className="model-summary">{m.summary}</span>
                  <span className="model-facts">
                    {m.inputSize}×{m.inputSize} input · {formatMB(server?.bytes ?? m.weights.bytes)}{' '}
                    weights
                  </span>
                </span>
              </label>
            )}
          </Tip>
        );
      })}
    </fieldset>
  );
}
