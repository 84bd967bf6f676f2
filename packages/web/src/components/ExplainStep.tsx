// Step 3: the heatmap over the photo and everything that shapes it. Display settings (colormap,
// opacity) recompose here on the main thread; method, class, layer and counterfactual ask the worker.
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { CAM_METHODS } from 'virtual:gradcam-meta';
import type { Explorer, ExplanationState } from '../state/useExplorer';
import { Compositor, hideRegions, type ComposeOptions } from '../lib/compose';
import { decodeImage } from '../lib/image-input';
import { formatMs, formatPercent, shortLabel } from '../lib/format';
import { mark, measure, MEASURES } from '../lib/perf';
import { Tip } from './Tip';
import { ColormapPicker, Swatch } from './ColormapPicker';
import { Computation } from './Computation';
import { TrustPanel } from './TrustPanel';
import { channelChoices } from '../lib/scorecam-channels';
import { LEARN_LOCAL_ID } from '../learn/links';

const KIND_LABEL: Record<string, string> = {
  gradient: 'gradients',
  'gradient-free': 'no gradients',
  saliency: 'pixel level',
};

const SALIENCY_HELP =
  'Signed: mid grey is zero, bright and dark are positive and negative values of the guided gradient. It is not the true gradient, so the sign does not say whether a change raises or lowers the score. Magnitude: the size of the guided gradient, through the colormap.';

/** One sentence beside the heatmap: what kind of statement any of these maps is. */
function MapCaveat({ kind, onLearnMore }: { kind: string; onLearnMore(section?: string): void }) {
  return (
    <p className="hint map-caveat" data-testid="map-caveat">
      {kind === 'gradient-free'
        ? 'A local attribution for this one photo.'
        : 'A local, first-order attribution: a linearisation of the score around this one photo.'}{' '}
      It is not a causal proof, nor how the model behaves on other photos.{' '}
      <button type="button" className="link-button" onClick={() => onLearnMore(LEARN_LOCAL_ID)}>
        What this means
      </button>
    </p>
  );
}

function Colorbar({ x, e }: { x: Explorer; e: ExplanationState }) {
  const cls = shortLabel(e.result.target.label);
  const sal = e.heat.kind === 'saliency';
  const signed = sal && x.saliencyMode === 'deprocess';
  let low: string;
  let high: string;
  if (signed) {
    low = 'Dark: negative guided gradient';
    high = 'Bright: positive guided gradient';
  } else if (sal) {
    low = 'Low: small guided gradient';
    high = `High: large guided gradient for “${cls}”`;
  } else if (e.result.counterfactual) {
    low = `Low: no evidence against “${cls}”`;
    high = `High: strongest evidence against “${cls}”`;
  } else {
    low = `Low: no evidence for “${cls}”`;
    high = `High: strongest evidence for “${cls}”`;
  }
  return (
    <div className="colorbar" role="group" aria-label="Colour scale">
      {signed ? (
        <span className="grey-bar" aria-hidden="true" />
      ) : (
        <Swatch id={x.colormap} width={256} height={12} />
      )}
      <div className="colorbar-labels">
        <span>{low}</span>
        <span>{high}</span>
      </div>
      <p className="hint colorbar-note" data-testid="colorbar-note">
        {signed
          ? 'Guided backpropagation is not the true gradient: the sign does not predict the effect on the score, and the picture barely depends on the top layers (Adebayo et al. 2018).'
          : `Scaled to this map’s own maximum: “${cls}” (${formatPercent(e.result.target.probability)}) gets full colour somewhere, however weak its evidence. Colours cannot be compared between classes or photos.`}
      </p>
    </div>
  );
}

/** The composed overlay; recomposes on the main thread for display-only changes. */
function Overlay({
  x,
  e,
  displayMark,
}: {
  x: Explorer;
  e: ExplanationState;
  displayMark: React.RefObject<string | null>;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const compositor = useRef(new Compositor());
  const photo = x.photo!;
  const { onComposed } = x;
  const opts: ComposeOptions = {
    colormap: x.colormap,
    opacity: x.opacity / 100,
    saliencyMode: x.saliencyMode,
  };
  const { colormap, opacity, saliencyMode } = opts;
  useLayoutEffect(() => {
    const c = canvas.current;
    const ctx = c?.getContext('2d');
    if (!c || !ctx) return;
    const start = mark('gc:compose-start');
    const out = compositor.current.compose(photo.base, e.heat, { colormap, opacity, saliencyMode });
    ctx.putImageData(
      new ImageData(out.data as Uint8ClampedArray<ArrayBuffer>, out.width, out.height),
      0,
      0,
    );
    measure(MEASURES.compose, start);
    if (displayMark.current) {
      measure(MEASURES.displayChange, displayMark.current);
      displayMark.current = null;
    }
    onComposed(e);
  }, [photo, e, colormap, opacity, saliencyMode, onComposed, displayMark]);
  const cls = shortLabel(e.result.target.label);
  return (
    <canvas
      ref={canvas}
      className="overlay"
      width={photo.base.width}
      height={photo.base.height}
      data-testid="overlay"
      role="img"
      aria-label={`${e.result.counterfactual ? 'Counterfactual ' : ''}${CAM_METHODS.find((m) => m.id === e.result.method)?.name ?? e.result.method} heatmap for "${cls}" over the photo`}
    />
  );
}

async function downloadPng(x: Explorer, e: ExplanationState): Promise<void> {
  const photo = x.photo!;
  // Full resolution: decode the original again, compose with a fresh compositor.
  const bitmap = await decodeImage(photo.file);
  const canvas = document.createElement('canvas');
  canvas.width = bitmap.width;
  canvas.height = bitmap.height;
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  ctx.drawImage(bitmap, 0, 0);
  bitmap.close();
  const base = ctx.getImageData(0, 0, canvas.width, canvas.height);
  const out = new Compositor().compose(
    { width: base.width, height: base.height, data: base.data },
    e.heat,
    { colormap: x.colormap, opacity: x.opacity / 100, saliencyMode: x.saliencyMode },
  );
  ctx.putImageData(
    new ImageData(out.data as Uint8ClampedArray<ArrayBuffer>, out.width, out.height),
    0,
    0,
  );
  const blob = await new Promise<Blob | null>((r) => canvas.toBlob(r, 'image/png'));
  if (!blob) throw new Error('The browser could not encode the PNG');
  const stem = photo.name.replace(/\.[^.]+$/, '');
  const parts = [
    stem,
    x.spec.id,
    e.result.method,
    e.result.counterfactual ? 'counterfactual' : null,
    shortLabel(e.result.target.label).replace(/[^\w-]+/g, '_'),
  ];
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = `${parts.filter(Boolean).join('-')}.png`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

const trend = (before: number, after: number) =>
  after > before ? '(rises)' : after < before ? '(falls)' : '(unchanged)';

function HidePanel({ x, e }: { x: Explorer; e: ExplanationState }) {
  const preview = useRef<HTMLCanvasElement>(null);
  const compositor = useRef(new Compositor());
  const photo = x.photo!;
  const heat = e.heat;
  const { threshold } = x;
  useEffect(() => {
    const ctx = preview.current?.getContext('2d');
    if (!ctx || heat.kind !== 'layer') return;
    const map = compositor.current.mapAt(heat, photo.base.width, photo.base.height);
    const out = hideRegions(photo.base, map, threshold);
    ctx.putImageData(
      new ImageData(out.data as Uint8ClampedArray<ArrayBuffer>, out.width, out.height),
      0,
      0,
    );
  }, [photo, heat, threshold]);
  if (heat.kind !== 'layer') return null;
  const m = x.masked;
  const cls = shortLabel(e.result.target.label);
  const result = m?.result;
  const stale = m && m.threshold !== threshold;
  return (
    <div className="hide-panel">
      <h3 className="sub">Hide these regions and predict again</h3>
      <p className="hint">
        The counterfactual map marks what argues against “{cls}”. Black it out and classify again:
        if the map is right, the score of “{cls}” rises. Check the logit as well as the probability:
        the probability also rises when other classes lose, and barely moves near 0 or 1.
      </p>
      <div className="hide-body">
        <canvas
          ref={preview}
          className="hide-preview"
          width={photo.base.width}
          height={photo.base.height}
          role="img"
          aria-label={`The photo with regions above ${Math.round(threshold * 100)} % of the map blacked out`}
        />
        <div className="hide-controls">
          <label htmlFor="hide-threshold">
            Hide where the map is above <output>{Math.round(threshold * 100)} %</output>
          </label>
          <Tip
            block
            text="Lower thresholds hide more of the photo. Regions above this share of the map's maximum are painted black before classifying again."
          >
            <input
              id="hide-threshold"
              type="range"
              min={5}
              max={95}
              step={5}
              value={Math.round(threshold * 100)}
              onChange={(ev) => x.setThreshold(Number(ev.target.value) / 100)}
            />
          </Tip>
          <Tip text="Runs the network on the blacked-out photo (in this browser) and compares the class probability before and after.">
            <button
              type="button"
              className="btn-primary"
              onClick={() => void x.predictHidden()}
              disabled={m?.running}
            >
              {m?.running ? 'Predicting...' : 'Hide and predict again'}
            </button>
          </Tip>
          <div aria-live="polite">
            {result && (
              <div className={`hide-result${stale ? ' stale' : ''}`} data-testid="hide-result">
                <p>
                  “{cls}”: <strong data-testid="prob-before">{formatPercent(result.before)}</strong>{' '}
                  <span aria-hidden="true">→</span>
                  <span className="visually-hidden"> becomes </span>{' '}
                  <strong data-testid="prob-after">{formatPercent(result.after)}</strong>{' '}
                  {trend(result.before, result.after)}
                </p>
                <p data-testid="logit-change">
                  Its logit: {result.logitBefore.toFixed(2)} <span aria-hidden="true">→</span>
                  <span className="visually-hidden"> becomes </span> {result.logitAfter.toFixed(2)}{' '}
                  {trend(result.logitBefore, result.logitAfter)}
                  {trend(result.logitBefore, result.logitAfter) !==
                    trend(result.before, result.after) &&
                    ': the probability moved because other classes changed more.'}
                </p>
                <p className="hint">
                  {Math.round(result.hidden * 100)} % of the network's input hidden. Top prediction
                  now: {shortLabel(result.top.label)} ({formatPercent(result.top.probability)}).
                  {stale && ' The threshold has changed since: predict again to update.'}
                </p>
              </div>
            )}
            {m?.error && (
              <p className="status status-error" role="alert">
                {m.error}
              </p>
            )}
          </div>
        </div>
      </div>
    </div>
  );
}

export function ExplainStep({
  x,
  onLearnMore,
}: {
  x: Explorer;
  /** Opens the guide, at the element with id `section` when given. */
  onLearnMore(section?: string): void;
}) {
  const displayMark = useRef<string | null>(null);
  const [downloadError, setDownloadError] = useState<string | null>(null);
  const e = x.explanation;
  const run = x.explainRun;
  const methodMeta = x.methodMeta;
  const shownMethod = e ? CAM_METHODS.find((m) => m.id === e.result.method) : undefined;
  const layerInfo = x.layers.find((l) => l.name === x.layer);
  const setDisplay =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      displayMark.current = mark('gc:display-input');
      set(v);
    };
  const busy = !!x.analysis && run.running;

  return (
    <section className="step step-explain" aria-labelledby="step-explain">
      <h2 id="step-explain">
        <span className="step-num" aria-hidden="true">
          3
        </span>
        Explain
      </h2>
      <div className="explain-grid">
        <div className="explain-view">
          {e && x.photo && e.photoId === x.photo.id ? (
            <>
              <figure className="overlay-figure">
                <Overlay x={x} e={e} displayMark={displayMark} />
                <figcaption>
                  {e.result.counterfactual ? 'Counterfactual ' : ''}
                  {shownMethod?.name ?? e.result.method}
                  {e.result.channelsScored !== undefined &&
                    ` (${e.result.channelsScored} of ${e.result.steps.activationShape[2]} channels)`}{' '}
                  for “{shortLabel(e.result.target.label)}” (
                  {formatPercent(e.result.target.probability)}) at <code>{e.result.layer}</code>,
                  computed in {formatMs(e.result.ms)}
                </figcaption>
              </figure>
              <Colorbar x={x} e={e} />
              <MapCaveat kind={shownMethod?.kind ?? 'gradient'} onLearnMore={onLearnMore} />
            </>
          ) : (
            <p className="placeholder overlay-placeholder">
              {!x.photo
                ? 'Choose a photo to see which regions raise the class score.'
                : x.modelStatus.kind === 'ready'
                  ? 'Computing the heatmap...'
                  : `The heatmap appears once the ${x.spec.name} network is loaded (step 1).`}
            </p>
          )}
          <div aria-live="polite" className="run-status">
            {busy && (
              <div className="row">
                <span className="status">
                  Computing {methodMeta.name}
                  {run.progress !== null ? ` · ${Math.round(run.progress * 100)} %` : '...'}
                </span>
                {run.progress !== null && (
                  <progress
                    max={1}
                    value={run.progress}
                    aria-label={`${methodMeta.name} progress`}
                  />
                )}
                <Tip text="Stops the computation. The last finished heatmap stays on screen.">
                  <button type="button" className="btn-secondary" onClick={x.cancelExplain}>
                    Cancel
                  </button>
                </Tip>
              </div>
            )}
            {run.cancelled && x.analysis && (
              <div className="row">
                <span className="status">Cancelled.</span>
                <Tip text="Starts the cancelled computation again with the current settings.">
                  <button type="button" className="btn-secondary" onClick={x.rerunExplain}>
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
          {e && x.photo && e.photoId === x.photo.id && (
            <div className="row">
              <Tip text="Saves the overlay at the photo's full resolution, with the current method, colormap and opacity.">
                <button
                  type="button"
                  className="btn-secondary"
                  onClick={() => {
                    setDownloadError(null);
                    downloadPng(x, e).catch((err) => setDownloadError(String(err?.message ?? err)));
                  }}
                >
                  Download PNG
                </button>
              </Tip>
              {downloadError && (
                <p className="status status-error" role="alert">
                  {downloadError}
                </p>
              )}
            </div>
          )}
        </div>

        <div className="explain-controls">
          <fieldset className="methods">
            <legend>Method</legend>
            <div className="method-list">
              {CAM_METHODS.map((m) => (
                <Tip key={m.id} block text={`${m.summary} (${m.citation})`}>
                  {(tipId) => (
                    <label className={`method-option${m.id === x.method ? ' selected' : ''}`}>
                      <input
                        type="radio"
                        name="method"
                        value={m.id}
                        checked={m.id === x.method}
                        onChange={() => x.setMethod(m.id)}
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

          {x.method === 'scorecam' && x.layerChannels !== undefined && (
            <div className="control">
              <label htmlFor="score-channels">Channels scored</label>
              <Tip text="Score-CAM runs the network once per scored channel. Scoring only the channels whose activations vary most over the image (Faster Score-CAM) is much quicker; the others get weight 0. More channels: slower, closer to the full method. All channels is the original Score-CAM (Wang et al. 2020).">
                <select
                  id="score-channels"
                  value={x.scoreChannels}
                  onChange={(ev) => x.setScoreChannels(Number(ev.target.value))}
                >
                  {channelChoices(x.layerChannels).map((c) => (
                    <option key={c.value} value={c.value}>
                      {c.label}
                    </option>
                  ))}
                </select>
              </Tip>
              <p className="hint">
                {x.scoreChannels || x.layerChannels} forward passes of the network for one map.
              </p>
            </div>
          )}

          <div className="control">
            <Tip text="Counterfactual explanation: negates the gradients, so the map shows regions that argue AGAINST the class (removing them should raise its score). Selvaraju et al., IJCV 2020, §3.3.">
              {(tipId) => (
                <label className="switch">
                  <input
                    type="checkbox"
                    checked={x.effectiveCounterfactual}
                    disabled={!methodMeta.supportsCounterfactual}
                    onChange={(ev) => x.setCounterfactual(ev.target.checked)}
                    aria-describedby={`${tipId}${methodMeta.supportsCounterfactual ? '' : ' cf-reason'}`}
                  />
                  <span>Counterfactual: what argues against this class</span>
                </label>
              )}
            </Tip>
            {!methodMeta.supportsCounterfactual && (
              <p id="cf-reason" className="hint">
                Not available for {methodMeta.name}: it uses no class gradients, so there is nothing
                to negate.
              </p>
            )}
          </div>

          <div className="control">
            <label htmlFor="layer-select">Layer</label>
            <Tip text="Where in the network the map is taken, input (top) to output (bottom). Late layers are coarse but about whole objects; early layers are sharp but about edges and textures.">
              <select
                id="layer-select"
                value={x.layer}
                onChange={(ev) => x.setLayer(ev.target.value)}
                disabled={x.layers.length === 0}
              >
                {x.layers.length === 0 && <option value={x.layer}>{x.layer}</option>}
                {x.layers.map((l) => (
                  <option key={l.name} value={l.name}>
                    {l.name} · {l.height}×{l.width}×{l.channels}
                    {l.isDefault ? ' (default)' : ''}
                  </option>
                ))}
              </select>
            </Tip>
            {layerInfo && (
              <p className="hint">
                {layerInfo.className}, {layerInfo.height}×{layerInfo.width} positions,{' '}
                {layerInfo.channels} channels.
              </p>
            )}
          </div>

          <ColormapPicker value={x.colormap} onChange={setDisplay(x.setColormap)} />

          <div className="control">
            <label htmlFor="opacity">
              Heatmap opacity: <output htmlFor="opacity">{x.opacity} %</output>
            </label>
            <Tip
              block
              text="How strongly the heatmap covers the photo: 0 % shows only the photo, 100 % only the map. Only redraws, nothing is recomputed."
            >
              <input
                id="opacity"
                type="range"
                min={0}
                max={100}
                step={1}
                value={x.opacity}
                onChange={(ev) => setDisplay(x.setOpacity)(Number(ev.target.value))}
                aria-valuetext={`${x.opacity} percent`}
              />
            </Tip>
          </div>

          {e?.heat.kind === 'saliency' && (
            <fieldset className="control">
              <legend>Pixel gradients</legend>
              {(['deprocess', 'abs'] as const).map((mode) => (
                <Tip key={mode} text={SALIENCY_HELP}>
                  {(tipId) => (
                    <label className="inline-radio">
                      <input
                        type="radio"
                        name="saliency-mode"
                        checked={x.saliencyMode === mode}
                        onChange={() => setDisplay(x.setSaliencyMode)(mode)}
                        aria-describedby={tipId}
                      />
                      {mode === 'deprocess' ? 'Signed (grey)' : 'Magnitude (colormap)'}
                    </label>
                  )}
                </Tip>
              ))}
            </fieldset>
          )}
        </div>
      </div>

      {e && x.photo && e.photoId === x.photo.id && <TrustPanel x={x} e={e} />}

      {e && x.photo && e.photoId === x.photo.id && e.result.counterfactual && (
        <HidePanel x={x} e={e} />
      )}

      {e && x.photo && e.photoId === x.photo.id && (
        <details className="computation">
          <summary>How was this computed?</summary>
          <Computation
            e={e}
            method={shownMethod ?? methodMeta}
            colormap={x.colormap}
            imageSize={[x.photo.width, x.photo.height]}
            inputSize={x.spec.inputSize}
          />
        </details>
      )}
    </section>
  );
}
