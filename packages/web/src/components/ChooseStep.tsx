// Step 1: what the app teaches, the architecture (with its weights), the photo, Reset.
import { useRef } from 'react';
import { MODELS } from 'virtual:gradcam-meta';
import type { Explorer } from '../state/useExplorer';
import { formatMB, formatMs } from '../lib/format';
import { originText } from '../state/weights-source';
import { Tip } from './Tip';
import { ProgressBar } from './ProgressBar';

const STAGES = {
  parse: 'Reading the weights file...',
  build: 'Building the network from the stored weights...',
  store: 'Saving the parsed network in this browser...',
  warmup: 'Warming up the network...',
} as const;

function WeightsPanel({ x }: { x: Explorer }) {
  const fileInput = useRef<HTMLInputElement>(null);
  const s = x.modelStatus;
  const spec = x.spec;
  const server = x.serverModels?.find((m) => m.id === spec.id);
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
          if (f) x.loadWeightsFile(f);
        }}
      />
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
                  onClick={() => void x.downloadWeights()}
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
      body = (
        <>
          <p className="status status-error" role="alert">
            {s.message}
          </p>
          <div className="row">{pickFile}</div>
        </>
      );
      break;
    case 'damaged':
      body = (
        <>
          <p className="status status-error" role="alert">
            {s.message}
          </p>
          <div className="row">
            {s.canReplace && (
              <Tip text="The local server downloads the official file again and replaces the damaged copy once the new one is complete.">
                <button
                  type="button"
                  className="btn-primary"
                  onClick={() => void x.redownloadWeights()}
                >
                  Download again ({formatMB(spec.weights.bytes)})
                </button>
              </Tip>
            )}
            {pickFile}
          </div>
        </>
      );
      break;
    case 'error':
      body = (
        <>
          <p className="status status-error" role="alert">
            {s.message}
          </p>
          <div className="row">
            <Tip text="Looks for the weights again: on this computer, in this browser, then on the local server.">
              <button type="button" className="btn-secondary" onClick={x.retryModel}>
                Try again
              </button>
            </Tip>
            {pickFile}
          </div>
        </>
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

export function ChooseStep({ x, onLearnMore }: { x: Explorer; onLearnMore(): void }) {
  const photoInput = useRef<HTMLInputElement>(null);
  return (
    <section className="step" aria-labelledby="step-choose">
      <div className="step-head">
        <h2 id="step-choose">
          <span className="step-num" aria-hidden="true">
            1
          </span>
          Choose
        </h2>
        <Tip text="Clears the photo, the predictions and every setting, forgets weights files you loaded yourself, and returns to the default network with its official weights.">
          <button type="button" className="btn-secondary" onClick={x.reset}>
            Reset
          </button>
        </Tip>
      </div>
      <div className="welcome">
        <p>
          A classifier names what is in a photo; <strong>Grad-CAM</strong> marks the regions whose
          features, at one layer, raise the score of a class. It is a first-order approximation of
          the network around your photo, not a view of what it &ldquo;looked at&rdquo;. Give it a
          photo, pick a network, and compare the explanations.
        </p>
        <Tip text="Opens a short guide: how a CNN sees, what Grad-CAM computes, and how to read the heatmaps.">
          <button type="button" className="btn-secondary" onClick={onLearnMore}>
            Learn more
          </button>
        </Tip>
      </div>

      <div className="upload">
        <h3 className="sub">Photo</h3>
        <div className="row">
          <Tip text="Opens the file picker. The photo is read in this browser only; nothing is uploaded to any server.">
            <button
              type="button"
              className="btn-primary"
              onClick={() => photoInput.current?.click()}
              aria-busy={x.photoBusy}
            >
              Choose a photo...
            </button>
          </Tip>
        </div>
        <input
          ref={photoInput}
          type="file"
          accept="image/*,.h5"
          hidden
          data-testid="photo-input"
          onChange={(e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            if (f) void x.handleFile(f);
          }}
        />
        <p className="hint">Or drop a photo anywhere on this page, or paste one (Ctrl+V).</p>
        {x.photoBusy && <p className="status">Reading the photo...</p>}
        {x.imageError && (
          <p className="status status-error" role="alert">
            {x.imageError}
          </p>
        )}
        {x.photo && !x.imageError && (
          <p className="status">
            {x.photo.name} · {x.photo.width}×{x.photo.height} {x.photo.type.toUpperCase()}
          </p>
        )}
      </div>
      <fieldset className="models">
        <legend>Architecture</legend>
        {MODELS.map((m) => {
          const server = x.serverModels?.find((s) => s.id === m.id);
          const onDisk = server?.available ?? false;
          const inBrowser = x.isCached(m.id);
          const where = onDisk
            ? 'On this computer'
            : inBrowser
              ? 'Saved in this browser'
              : 'Not downloaded';
          return (
            <Tip
              key={m.id}
              block
              text={`${m.description} Changing the network classifies the photo again; different networks look at different evidence.`}
            >
              {(tipId) => (
                <label className={`model-card${x.modelId === m.id ? ' selected' : ''}`}>
                  <input
                    type="radio"
                    name="model"
                    value={m.id}
                    checked={x.modelId === m.id}
                    onChange={() => x.selectModel(m.id)}
                    aria-describedby={tipId}
                  />
                  <span className="model-text">
                    <span className="model-top">
                      <span className="model-name">{m.name}</span>
                      <span className={`model-where${onDisk || inBrowser ? ' cached' : ''}`}>
                        {(onDisk || inBrowser) && <span aria-hidden="true">✓ </span>}
                        {where}
                      </span>
                    </span>
                    <span className="model-summary">{m.summary}</span>
                    <span className="model-facts">
                      {m.inputSize}×{m.inputSize} input ·{' '}
                      {formatMB(server?.bytes ?? m.weights.bytes)} weights
                    </span>
                  </span>
                </label>
              )}
            </Tip>
          );
        })}
      </fieldset>
      <WeightsPanel x={x} />
    </section>
  );
}
