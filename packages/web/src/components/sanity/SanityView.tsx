// "Sanity check": Adebayo et al.'s cascading randomisation (NeurIPS 2018) on the photo on screen.
// The worker randomises the loaded network from the top block down, computes the maps after each
// step and puts the trained weights back; this shows the maps, the similarity curves with the
// random baseline, and the numbers.
import { useMemo, useRef } from 'react';
import { CAM_METHODS } from '@gradcam-explorer/core/pure';
import { formatPercent, formatValue, shortLabel } from '../../format';
import { askedLayer } from '../../state/explanation';
import { modelReady, modelSpec } from '../../state/model';
import { shownSanity } from '../../state/sanity';
import { useScaleGains } from '../../state/scale';
import { useStore } from '../../state/store';
import type { Heat } from '../../overlay/compose';
import type { Photo } from '../../state/photo';
import type { SanityDto } from '../../worker/compare-protocol';
import { pngFileName } from '../compare/export-png';
import { MapTile } from '../compare/MapTile';
import { ExportPngButton, RunLine, SharedScaleSwitch, ViewHeader } from '../compare/ViewToolbar';
import { METHOD_COLOURS, SanityChart } from './SanityChart';
import { SANITY_CHOICES } from './sanity-methods';
import './sanity.css';

const nameOf = (id: string) => CAM_METHODS.find((m) => m.id === id)?.name ?? id;
const num = (v: number) => (v < 0 ? '−' : '') + Math.abs(v).toFixed(2);

/**
 * Pixel-level magnitudes scaled so that their 99th percentile is full colour, as the paper's
 * figures show them (a few very large gradients would leave everything else dark). Display only:
 * the similarities are computed on the maps as they are.
 */
export function clipAt99(values: Float32Array): Float32Array {
  const sorted = Float32Array.from(values).sort();
  const p = sorted[Math.min(sorted.length - 1, Math.floor(0.99 * sorted.length))];
  return p > 0 ? values.map((v) => Math.min(1, v / p)) : values;
}

/** One method's maps after each step, on its own scale or one shared along the cascade. */
function MethodStrip({
  photo,
  r,
  method,
  k,
}: {
  photo: Photo;
  r: SanityDto;
  method: string;
  k: number;
}) {
  const layer = r.steps[0].methods[method].rawMax !== undefined;
  const gains = useScaleGains(r.steps.map((s) => s.methods[method].rawMax ?? Number.NaN));
  const heats = useMemo(
    () =>
      r.steps.map((s): Heat => {
        const map = s.methods[method].map!;
        const values = layer ? map.values : clipAt99(map.values);
        return { kind: 'layer', width: map.width, height: map.height, values };
      }),
    [r, method, layer],
  );
  return (
    <section className="sanity-strip" aria-label={`${nameOf(method)} after each step`}>
      <h4>
        <span
          className="sanity-swatch"
          style={{ background: METHOD_COLOURS[k % METHOD_COLOURS.length] }}
          aria-hidden="true"
        />
        {nameOf(method)}
      </h4>
      {!layer && (
        <p className="hint">
          Pixel-level maps are drawn alone, their magnitude through the colormap with the 99th
          percentile as full colour, as in the paper’s figures.
        </p>
      )}
      <div className="tile-grid tile-grid-small" data-testid={`sanity-maps-${method}`}>
        {r.steps.map((s, i) => {
          const m = s.methods[method];
          const g = layer && Number.isFinite(gains[i]) ? gains[i] : 1;
          const empty = m.rawMax === 0;
          return (
            <MapTile
              key={i}
              photo={photo}
              heat={heats[i]}
              gain={g}
              opacity={layer ? undefined : 1}
              label={`${nameOf(method)} after ${s.block ? `randomising down to ${s.block}` : 'no randomisation'}`}
            >
              <span className="tile-title">{s.block ? `${i}. ${s.block}` : 'trained'}</span>
              <span className="tile-meta">
                ρ {num(m.spearman)} · SSIM {num(m.ssim)}
              </span>
              {m.rawMax !== undefined && (
                <span className="tile-meta">
                  {empty ? 'empty map' : `max ${formatValue(m.rawMax)}`}
                </span>
              )}
            </MapTile>
          );
        })}
      </div>
    </section>
  );
}

function SanityTable({ r }: { r: SanityDto }) {
  return (
    <div className="sanity-table-wrap">
      <table className="sanity-table" data-testid="sanity-table">
        <caption>Similarity with the trained network’s map after each step</caption>
        <thead>
          <tr>
            <th scope="col">Step</th>
            <th scope="col">Randomised down to</th>
            <th scope="col">p(class)</th>
            {r.methods.map((m) => (
              <th key={m} scope="col" colSpan={2}>
                {nameOf(m)}: ρ, SSIM
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {r.steps.map((s, i) => (
            <tr key={i}>
              <td>{i}</td>
              <th scope="row">{s.block ?? '(trained network)'}</th>
              <td>{formatPercent(s.probability)}</td>
              {r.methods.map((m) => [
                <td key={`${m}-r`}>{num(s.methods[m].spearman)}</td>,
                <td key={`${m}-s`}>{num(s.methods[m].ssim)}</td>,
              ])}
            </tr>
          ))}
          {(['unrelatedInputs', 'randomMaps'] as const).map((kind) => (
            <tr key={kind} className="baseline-row">
              <td>–</td>
              <th scope="row">
                Random baseline:{' '}
                {kind === 'unrelatedInputs'
                  ? `this map against the trained network’s maps of ${r.baseline[r.methods[0]].unrelatedInputs.n} noise images`
                  : `against ${r.baseline[r.methods[0]].randomMaps.n} uniformly random maps`}
              </th>
              <td />
              {r.methods.map((m) => [
                <td key={`${m}-r`}>{num(r.baseline[m][kind].spearman)}</td>,
                <td key={`${m}-s`}>{num(r.baseline[m][kind].ssim)}</td>,
              ])}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The result in two sentences: after the first step, and at the end. */
function Summary({ r }: { r: SanityDto }) {
  const n = r.steps.length - 1;
  const at = (i: number) =>
    r.methods
      .map(
        (m) =>
          `${nameOf(m)} ρ ${num(r.steps[i].methods[m].spearman)}, SSIM ${num(r.steps[i].methods[m].ssim)}`,
      )
      .join('; ');
  return (
    <p className="sanity-summary" data-testid="sanity-summary">
      With only the classifier ({r.order[0]}) randomised: {at(1)}. With all {n} blocks randomised:{' '}
      {at(n)}. A map that explains the network should drop towards the random baseline as the
      network loses what it learned; one that stays high shows the photo more than the network.
    </p>
  );
}

export function SanityView() {
  const photo = useStore((s) => s.photo);
  const ready = useStore(modelReady);
  const hasAnalysis = useStore((s) => !!s.analysis && s.analysis.photoId === s.photo?.id);
  const network = useStore((s) => modelSpec(s).name);
  const layer = useStore(askedLayer);
  const className = useStore((s) => {
    const p = s.analysis?.predictions.find((x) => x.index === s.classIndex);
    return p ? shortLabel(p.label) : null;
  });
  const methods = useStore((s) => s.sanityMethods);
  const setMethods = useStore((s) => s.setSanityMethods);
  const run = useStore((s) => s.sanityRun);
  const runSanity = useStore((s) => s.runSanity);
  const cancel = useStore((s) => s.cancelSanity);
  const shown = useStore(shownSanity);
  const root = useRef<HTMLDivElement>(null);
  const r = shown?.result;
  const toggle = (id: string, on: boolean) =>
    setMethods(
      SANITY_CHOICES.map((m) => m.id).filter((m) => (m === id ? on : methods.includes(m))),
    );
  const stage = run.stage;
  const detail = !stage
    ? undefined
    : stage.phase === 'original'
      ? 'the trained network'
      : stage.phase === 'baseline'
        ? 'the random baseline'
        : `randomised ${stage.block} (${stage.step} of ${stage.steps})`;
  const title = r
    ? `Sanity check (cascading randomisation): ${shown!.networkName}, “${shortLabel(r.label)}”, ${photo?.name ?? ''}`
    : '';
  return (
    <div className="compare-view sanity-view" ref={root}>
      <ViewHeader title="Does the map depend on what the network learned?">
        {r && (
          <SharedScaleSwitch note="Off: each map is divided by its own maximum. On: each method's maps along the cascade share one scale, so you see the evidence fade as the network is destroyed." />
        )}
        <ExportPngButton
          root={root}
          title={title}
          fileName={pngFileName(photo?.name ?? 'photo', 'sanity', shown?.modelId, r?.classIndex)}
          disabled={!r}
        />
      </ViewHeader>
      <p className="hint">
        Adebayo et al. (NeurIPS 2018) re-initialise a network’s weights from the top layer down, one
        block at a time, and compare the map after each step with the trained network’s. A map that
        explains the network must change as the network is destroyed. They found that guided
        backpropagation barely changes (it mostly shows the photo’s edges), while Grad-CAM does.
      </p>
      <fieldset className="control sanity-methods">
        <legend>Methods to check</legend>
        {SANITY_CHOICES.map((m) => (
          <label key={m.id} className="inline-radio">
            <input
              type="checkbox"
              checked={methods.includes(m.id)}
              onChange={(e) => toggle(m.id, e.target.checked)}
            />
            {m.name}
          </label>
        ))}
      </fieldset>
      <div className="row">
        <button
          type="button"
          className="btn-primary"
          disabled={!photo || !ready || !hasAnalysis || run.running || methods.length === 0}
          onClick={() => void runSanity()}
        >
          Run the sanity check
        </button>
        <span className="hint">
          {photo && hasAnalysis && className
            ? `${network}, “${className}”, layer ${layer}. The weights are randomised in the engine and the trained ones put back when it ends or is cancelled.`
            : 'Choose a photo first (step 1).'}
        </span>
      </div>
      <RunLine
        run={run}
        what="the sanity check"
        detail={detail}
        onCancel={cancel}
        onRun={() => void runSanity()}
      />
      {r && photo && (
        <div className="sanity-result" data-testid="sanity-result">
          <p className="hint">
            {shown!.networkName}, “{shortLabel(r.label)}”, {r.layer}: {r.order.length} blocks
            randomised in turn, {r.order[0]} first and {r.order.at(-1)} last.
          </p>
          <Summary r={r} />
          <div className="sanity-charts">
            <SanityChart r={r} measure="spearman" />
            <SanityChart r={r} measure="ssim" />
          </div>
          {r.methods.map((m, k) => (
            <MethodStrip key={m} photo={photo} r={r} method={m} k={k} />
          ))}
          <details className="sanity-numbers">
            <summary>The numbers, and how they are computed</summary>
            <SanityTable r={r} />
            <p className="hint">
              Maps are compared at {r.comparison.height}×{r.comparison.width} pixels (layer maps
              upsampled as drawn), each scaled to [0, 1]; guided methods by their magnitude.
              Spearman: the rank correlation, ties sharing their mean rank; 0 for an empty map.
              SSIM: Wang et al. (IEEE TIP 2004), an {r.comparison.ssim.window}×
              {r.comparison.ssim.window} Gaussian window with σ = {r.comparison.ssim.sigma}, K1 ={' '}
              {r.comparison.ssim.k1}, K2 = {r.comparison.ssim.k2}, L = 1, averaged over the window
              positions inside the map. Randomisation: every trainable weight of a block re-drawn
              from its Keras initialiser (Glorot-uniform kernels, zero biases, unit batch-norm
              scales; moving statistics kept), seed {r.seed}; the class stays “{shortLabel(r.label)}
              ” throughout.
            </p>
          </details>
        </div>
      )}
    </div>
  );
}
