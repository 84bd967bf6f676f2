// "How was this computed?": the current result's intermediate quantities, step by step.
import { useEffect, useRef } from 'react';
import type { CamMethod } from '@gradcam-explorer/core/pure';
import {
  colorize,
  getColormap,
  upsampleBilinear,
  type Colormap,
} from '@gradcam-explorer/core/pure';
import type { ExplanationState } from '../../state/explanation';
import { formatMs, shortLabel } from '../../format';

function table(id: string, f: (t: number) => [number, number, number]): Colormap {
  const lut = new Uint8Array(768);
  for (let i = 0; i < 256; i++) lut.set(f(i / 255), 3 * i);
  return { id, name: id, description: '', perceptuallyUniform: false, lut };
}
const lerp = (a: number, b: number, t: number) => Math.round(a + (b - a) * t);
/** Grey ramp for activation maps (brighter = more active). */
const GREY = table(
  'grey',
  (t) => [255 * t, 255 * t, 255 * t].map(Math.round) as [number, number, number],
);
/** Blue-white-red with white at 0, endpoints of Moreland's cool-warm map, for signed values. */
const DIVERGING = table('diverging', (t) =>
  t < 0.5
    ? [lerp(59, 242, t * 2), lerp(76, 242, t * 2), lerp(192, 242, t * 2)]
    : [lerp(242, 180, t * 2 - 1), lerp(242, 4, t * 2 - 1), lerp(242, 38, t * 2 - 1)],
);
const paletteOf = (p: string): Colormap =>
  p === 'grey' ? GREY : p === 'diverging' ? DIVERGING : getColormap(p);

/** A small map drawn cell by cell (pixelated), values already in [0, 1]. */
function MapThumb({
  values,
  width,
  height,
  colormap,
  label,
  size = 84,
}: {
  values: Float32Array;
  width: number;
  height: number;
  colormap: string;
  label: string;
  size?: number;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const rgba = colorize(values, paletteOf(colormap));
    ctx.putImageData(new ImageData(new Uint8ClampedArray(rgba), width, height), 0, 0);
  }, [values, width, height, colormap]);
  const k = size / Math.max(width, height);
  return (
    <canvas
      ref={ref}
      width={width}
      height={height}
      className="thumb"
      style={{ width: Math.round(width * k), height: Math.round(height * k) }}
      role="img"
      aria-label={label}
    />
  );
}

/** Signed values to [0, 1] with 0 at 0.5 (for a diverging map of the raw weighted sum). */
function diverging(values: Float32Array): Float32Array {
  let m = 0;
  for (const v of values) m = Math.max(m, Math.abs(v));
  return values.map((v) => (m > 0 ? 0.5 + v / (2 * m) : 0.5));
}

function WeightBars({ weights, top }: { weights: Float32Array; top: number }) {
  const order = Array.from(weights.keys())
    .sort((a, b) => Math.abs(weights[b]) - Math.abs(weights[a]))
    .slice(0, top);
  const max = Math.max(...order.map((i) => Math.abs(weights[i])), 1e-12);
  let positive = 0;
  for (const w of weights) if (w > 0) positive++;
  return (
    <>
      <p className="hint">
        {positive} of {weights.length} channels have a positive weight. The {order.length} largest
        by size:
      </p>
      <ul className="weight-bars">
        {order.map((i) => {
          const w = weights[i];
          return (
            <li key={i}>
              <span className="wb-label">ch {i}</span>
              <span className="wb-track" aria-hidden="true">
                <span
                  className={`wb-fill ${w >= 0 ? 'pos' : 'neg'}`}
                  style={{ width: `${(50 * Math.abs(w)) / max}%` }}
                />
              </span>
              <span className="wb-value">
                {w >= 0 ? '+' : '−'}
                {Math.abs(w).toPrecision(3)}
              </span>
            </li>
          );
        })}
      </ul>
    </>
  );
}

export function Computation({
  e,
  method,
  colormap,
  imageSize,
  inputSize,
}: {
  e: ExplanationState;
  method: CamMethod;
  colormap: string;
  imageSize: [number, number];
  inputSize: number;
}) {
  const r = e.result;
  const s = r.steps;
  const [h, w, k] = s.activationShape;
  const cls = `"${shortLabel(r.target.label)}"`;
  const out = r.output;
  const preview =
    out.kind === 'layer'
      ? upsampleBilinear(out.values, out.height, out.width, 4 * out.height, 4 * out.width)
      : null;
  return (
    <ol className="steps">
      <li>
        <strong>Forward pass.</strong> The photo, resized to {inputSize}×{inputSize}×3, runs through
        the network once. At layer <code>{r.layer}</code> the activations <var>A</var> are {h}×{w}×
        {k}: {k} feature maps of {h}×{w} positions.
        {s.topChannels && (
          <div className="thumbs">
            {s.topChannels.map((c) => (
              <figure key={c.index}>
                <MapThumb
                  values={c.map.map((v) => (c.max > 0 ? v / c.max : 0))}
                  width={w}
                  height={h}
                  colormap="grey"
                  label={`Activation map of channel ${c.index}`}
                />
                <figcaption>
                  ch {c.index}
                  <br />α {c.weight >= 0 ? '+' : '−'}
                  {Math.abs(c.weight).toPrecision(2)} × {c.mean.toPrecision(2)}
                </figcaption>
              </figure>
            ))}
          </div>
        )}
      </li>
      {method.kind === 'gradient' && (
        <li>
          <strong>Gradients.</strong> Backpropagation gives ∂y/∂A: how the score (logit{' '}
          {r.target.logit.toFixed(2)}) of {cls} changes with each activation.
          {r.counterfactual &&
            ' Counterfactual: the gradients are negated, so the map shows what lowers the score.'}
        </li>
      )}
      {s.channelWeights ? (
        <li>
          <strong>Channel weights α.</strong> {method.name} turns them into one weight per channel (
          {method.citation}).
          <WeightBars weights={s.channelWeights} top={12} />
        </li>
      ) : (
        <li>
          <strong>Map.</strong> {method.name} computes the map directly ({method.citation}).
        </li>
      )}
      {s.rawMap && (
        <li>
          <strong>Weighted sum.</strong> Σ<sub>k</sub> α<sub>k</sub> A<sub>k</sub> before ReLU, from{' '}
          {s.rawMin!.toPrecision(3)} (blue) to {s.rawMaxSigned!.toPrecision(3)} (red):
          <div className="thumbs">
            <MapThumb
              values={diverging(s.rawMap)}
              width={w}
              height={h}
              colormap="diverging"
              label="Weighted sum of the activation maps before ReLU"
              size={112}
            />
          </div>
        </li>
      )}
      {out.kind === 'layer' && (
        <li>
          <strong>ReLU and normalise.</strong> Negative values are dropped and the map is divided by
          its own maximum ({out.rawMax.toPrecision(3)}), giving values in [0, 1] at {out.width}×
          {out.height}. The hottest cell is 1 however weak the evidence, so colours cannot be
          compared between classes:
          <div className="thumbs">
            <MapThumb
              values={out.values}
              width={out.width}
              height={out.height}
              colormap={colormap}
              label="The class activation map at layer resolution"
              size={112}
            />
            {preview && (
              <MapThumb
                values={preview}
                width={4 * out.width}
                height={4 * out.height}
                colormap={colormap}
                label="The same map, bilinearly upsampled"
                size={112}
              />
            )}
          </div>
        </li>
      )}
      {out.kind === 'saliency' && (
        <li>
          <strong>Pixel gradients.</strong> A {out.width}×{out.height}×3 image of input gradients,
          shown signed in grey or as magnitude through the colormap.
        </li>
      )}
      <li>
        <strong>Upsample and overlay.</strong> The map is bilinearly resized to the photo (
        {imageSize[0]}×{imageSize[1]}), coloured, and blended over it. Computed in {formatMs(r.ms)}.
      </li>
    </ol>
  );
}
