// Step 1's weights panel: where the chosen network's weights stand (looking, loading, ready, missing,
// offline, damaged), with the download and "Load a weights file..." where they help.
import { useRef, type ReactNode } from 'react';
import { formatMB, formatMs } from '../../format';
import { modelSpec } from '../../state/model';
import { useStore } from '../../state/store';
import { originText } from '../../weights/weights-source';
import { Tip } from '../Tip';
import { ProgressBar } from './ProgressBar';

const STAGES = {
  parse: 'Reading the weights file...',
  build: 'Building the network from the stored weights...',
  store: 'Saving the parsed network in this browser...',
  warmup: 'Warming up the network...',
} as const;

export function WeightsPanel() {
  const fileInput = useRef<HTMLInputElement>(null);
  const s = useStore((st) => st.modelStatus);
  const spec = useStore(modelSpec);
  const serverModels = useStore((st) => st.serverModels);
  const loadWeightsFile = useStore((st) => st.loadWeightsFile);
  const downloadWeights = useStore((st) => st.downloadWeights);
  const retryModel = useStore((st) => st.retryModel);
  const server = serverModels?.find((m) => m.id === spec.id);
  const size = formatMB(server?.bytes ?? spec.weights.bytes);
  const pickFile = (
    <>
      <Tip
        text={`Use a Keras weights file you already have (${spec.weights.fileName}). It is read in this browser and never uploaded.`}
      >
        <button type="button" className="btn-secondary" onClick={() => fileInput.current?.click()}>
          Load a weights file...
        </button>
      </Tip>
      <input
        ref={fileInput}
        type="file"
        accept=".h5,.hdf5"
        hidden
        onChange={(e) => {
          const f = e.target.files?.[0];
          e.target.value = '';
          if (f) loadWeightsFile(f);
        }}
      />
    </>
  );
  /** What went wrong, then what can be done about it (and always: a file from disk). */
  const problem = (message: string, action?: ReactNode) => (
    <>
      <p className="status status-error" role="alert">
        {message}
      </p>
      <div className="row">
        {action}
        {pickFile}
      </div>
    </>
  );
  let body;
  switch (s.kind) {
    case 'starting':
      body = <p className="status">Starting the engine...</p>;
      break;
    case 'checking':
      body = <p className="status">Looking for the {spec.name} weights...</p>;
      break;
    case 'fetching':
      body = <ProgressBar label={`Loading ${spec.name} weights`} progress={s.progress} />;
      break;
    case 'downloading':
      body = <ProgressBar label={`Downloading ${spec.name} weights`} progress={s.progress} />;
      break;
    case 'loading':
      body = <p className="status">{STAGES[s.stage]}</p>;
      break;
    case 'ready': {
      const how = s.loaded.source === 'cache' ? 'from this browser' : 'weights read';
      body = (
        <>
          <p className="status status-ok">
            <span aria-hidden="true">✓ </span>
            {spec.name} is ready ({how} in {formatMs(s.ms)}).
          </p>
          <p className="status" data-testid="weights-origin" title={`sha256 ${s.loaded.sha256}`}>
            {originText(s.loaded)}
          </p>
        </>
      );
      break;
    }
    case 'missing':
      body = (
        <>
          <p className="status">
            The {spec.name} weights ({size}) are not on this computer yet.
          </p>
          <div className="row">
            {s.serverKnown && (
              <Tip text="The local server fetches the official Keras file once and keeps it for next time. Photos are never sent anywhere.">
                <button
                  type="button"
                  className="btn-primary"
                  onClick={() => void downloadWeights()}
                >
                  Download ({size})
                </button>
              </Tip>
            )}
            {pickFile}
          </div>
        </>
      );
      break;
    case 'offline':
      body = problem(s.message);
      break;
    case 'damaged':
      body = problem(
        s.message,
        s.canReplace && (
          <Tip text="The local server downloads the official file again and replaces the damaged copy once the new one is complete.">
            <button
              type="button"
              className="btn-primary"
              onClick={() => void downloadWeights(true)}
            >
              Download again ({formatMB(spec.weights.bytes)})
            </button>
          </Tip>
        ),
      );
      break;
    case 'error':
      body = problem(
        s.message,
        <Tip text="Looks for the weights again: on this computer, in this browser, then on the local server.">
          <button type="button" className="btn-secondary" onClick={retryModel}>
            Try again
          </button>
        </Tip>,
      );
      break;
  }
  return (
    <div className="weights-panel" aria-live="polite">
      {body}
      {s.kind === 'ready' && <div className="row subtle-row">{pickFile}</div>}
    </div>
  );
}
