// Step 1's "Use your own model...": a button and a drop zone for the model's files (dropping them
// anywhere on the page works too, see App), then what was understood of the model: input, classes,
// output, preprocessing (with a choice), target layer and warnings. Everything stays in the browser.
import { useRef, useState, type DragEvent } from 'react';
import {
  PREPROCESS_MODES,
  type PreprocessMode,
  type UserModelInfo,
} from '@gradcam-explorer/core/pure';
import { formatMs } from '../../format';
import { useStore } from '../../state/store';
import type { CamLayer } from '../../worker/protocol';
import { Tip } from '../Tip';

/** Classes named in the panel before "and N more". */
const SHOWN_CLASSES = 5;

const quote = (s: string) => `\u201c${s}\u201d`;

function classesText(classes: readonly string[]): string {
  const first = classes.slice(0, SHOWN_CLASSES).map(quote).join(', ');
  const more = classes.length - SHOWN_CLASSES;
  return more > 0 ? `${first} and ${more} more` : first;
}

function outputText(info: UserModelInfo): string {
  const [zero, one] = info.classes;
  if (info.output.binary) {
    return info.output.kind === 'sigmoid'
      ? `one sigmoid unit p: ${quote(one)} is p, ${quote(zero)} is 1\u2212p.`
      : `one raw score z: ${quote(one)} is z, ${quote(zero)} its opposite \u2212z.`;
  }
  return `${info.output.description}.`;
}

function Facts({ info, layers }: { info: UserModelInfo; layers: CamLayer[] }) {
  const setPreprocessing = useStore((s) => s.setUserPreprocessing);
  const { input, preprocessing: pre } = info;
  const layer = layers.find((l) => l.name === info.defaultLayer);
  const modeInfo = (id: PreprocessMode) => PREPROCESS_MODES.find((m) => m.id === id);
  const doubled = pre.inModel.length > 0 && pre.mode !== 'raw';
  return (
    <dl className="user-facts" data-testid="user-model-facts">
      <dt>Model</dt>
      <dd data-testid="user-model-name">
        {info.fileName} · {info.formatLabel} · {info.layerCount} layers,{' '}
        {info.parameters.toLocaleString('en-US')} parameters · read in {formatMs(info.loadMs)}
      </dd>
      <dt>Input</dt>
      <dd data-testid="user-model-input-size">
        {input.width}×{input.height},{' '}
        {input.channels === 1 ? 'grayscale (1 channel)' : 'RGB (3 channels)'}
        {input.channels === 1 && (
          <span className="user-note" data-testid="user-model-grayscale">
            {' '}
            Colour photos are converted to grayscale before the model sees them.
          </span>
        )}
      </dd>
      <dt>Classes</dt>
      <dd data-testid="user-model-classes">
        {info.classes.length}: {classesText(info.classes)}
        <span className="user-note">
          {' '}
          {info.labelsFrom
            ? `(names from ${info.labelsFrom})`
            : '(no labels file given: add one, a text or JSON file, with the model files)'}
        </span>
      </dd>
      <dt>Output</dt>
      <dd data-testid="user-model-output">{outputText(info)}</dd>
      <dt>
        <label htmlFor="user-preprocessing">Preprocessing</label>
      </dt>
      <dd>
        <select
          id="user-preprocessing"
          data-testid="user-model-preprocessing"
          value={pre.mode}
          onChange={(e) => void setPreprocessing(e.target.value as PreprocessMode)}
        >
          {PREPROCESS_MODES.map((m) => (
            <option key={m.id} value={m.id}>
              {m.label} ({m.formula})
            </option>
          ))}
        </select>
        <span className="user-note" data-testid="user-model-preprocessing-note">
          {pre.inModel.length > 0
            ? `In the model: ${pre.inModel.join(', ')} scale${pre.inModel.length === 1 ? 's' : ''} the pixels, so they go in as 0..255. `
            : ''}
          It matters: the same pixels scaled another way give other predictions and maps. Now{' '}
          {modeInfo(pre.mode)?.label ?? pre.mode}, because {pre.reason}.
        </span>
        {doubled && (
          <span className="user-note user-warning">
            {' '}
            The model already scales its input; this scales it a second time.
          </span>
        )}
      </dd>
      <dt>Target layer</dt>
      <dd data-testid="user-model-layer">
        <code>{info.defaultLayer}</code>
        {layer && ` (${layer.height}×${layer.width} map, ${layer.channels} channels)`}
        {info.nested.length > 0 && (
          <span className="user-note"> Nested models flattened: {info.nested.join(', ')}.</span>
        )}
      </dd>
      {info.warnings.length > 0 && (
        <>
          <dt>Warnings</dt>
          <dd>
            <ul className="user-warnings" data-testid="user-model-warnings">
              {info.warnings.map((w, i) => (
                <li key={i}>{w.message}</li>
              ))}
            </ul>
          </dd>
        </>
      )}
    </dl>
  );
}

export function UserModelPanel() {
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const user = useStore((s) =>
    s.userModel && s.modelId === s.userModel.modelId ? s.userModel : null,
  );
  const busy = useStore((s) => s.userModelBusy);
  const error = useStore((s) => s.userModelError);
  const openModelFiles = useStore((s) => s.openModelFiles);
  const layers = useStore((s) =>
    s.modelStatus.kind === 'ready' && user && s.modelStatus.loaded.modelId === user.modelId
      ? s.modelStatus.loaded.layers
      : null,
  );
  const drop = (e: DragEvent) => {
    e.preventDefault();
    e.stopPropagation(); // not the page's drop handler as well
    setOver(false);
    const files = Array.from(e.dataTransfer.files);
    if (files.length > 0) void openModelFiles(files);
  };
  return (
    <div className="user-model" data-testid="user-model" aria-live="polite">
      <h3 className="sub">Your own model</h3>
      <div
        className={`user-drop${over ? ' over' : ''}`}
        data-testid="user-model-drop"
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={drop}
      >
        <Tip text="A Keras .h5 or .keras file, or a TensorFlow.js model.json with its .bin files, and optionally a labels file (text or JSON). Select them all at once.">
          <button
            type="button"
            className="btn-secondary"
            aria-busy={busy}
            onClick={() => input.current?.click()}
          >
            Use your own model...
          </button>
        </Tip>
        <span className="hint">
          or drop its files here: .h5, .keras, or model.json with its .bin files, and a labels file.
          The model stays on this device: it is read in this browser, never uploaded.
        </span>
      </div>
      <input
        ref={input}
        type="file"
        multiple
        accept=".h5,.hdf5,.keras,.json,.bin,.txt"
        hidden
        data-testid="user-model-input"
        onChange={(e) => {
          const files = Array.from(e.target.files ?? []);
          e.target.value = '';
          if (files.length > 0) void openModelFiles(files);
        }}
      />
      {busy && <p className="status">Reading your model...</p>}
      {error && (
        <p className="status status-error" role="alert" data-testid="user-model-error">
          {error}
        </p>
      )}
      {user && layers && (
        <>
          <p className="status status-ok">
            <span aria-hidden="true">✓ </span>
            Using your model {user.info.id}. Choose an architecture above to go back.
          </p>
          <Facts info={user.info} layers={layers} />
        </>
      )}
    </div>
  );
}
