// The six stages of the computation, each in words with its own numbers and pictures: feature
// maps, gradients, weights, weighted maps, the sum and its ReLU, normalisation and upsampling.
// Every method is shown as raw(p) = sum_k W(p, k) T(p, k) (core `anatomyOf`), in its own terms.
import {
  channelOf,
  extent,
  upsampleBilinear,
  type ChannelDetail,
} from '@gradcam-explorer/core/pure';
import type { ReactNode } from 'react';
import { formatShare, formatValue } from '../../format';
import { modelSpec } from '../../state/model';
import { useStore } from '../../state/store';
import { ChannelThumbs, WeightBars } from './ChannelPickers';
import { MapThumb } from './MapThumb';
import type { AnatomyContext } from './use-anatomy';

export const Ak = () => (
  <>
    A<sup>k</sup>
  </>
);
export const Alpha = () => (
  <>
    α<sub>k</sub>
    <sup>c</sup>
  </>
);
export const Yc = () => (
  <>
    y<sup>c</sup>
  </>
);
export const Grad = () => (
  <>
    ∂y<sup>c</sup>/∂A<sup>k</sup>
  </>
);

/** The weight's symbol in bars and captions, per weighting. */
export function weightSymbol(a: AnatomyContext): string {
  return a.an.weighting === 'channel' ? 'α' : a.an.weighting === 'position' ? 'mean W' : 'v';
}

const shareText = (a: AnatomyContext, d: ChannelDetail) =>
  a.an.sharesOfMap ? `share ${formatShare(d.share)}` : `mean ${formatValue(d.share, true)}`;

/** True when every given gradient map is constant (a layer before global average pooling). */
function uniform(maps: (Float32Array | undefined)[]): boolean {
  return maps.every((g) => {
    if (!g) return false;
    const [lo, hi] = extent(g);
    return hi - lo <= 1e-4 * Math.max(Math.abs(hi), Math.abs(lo), 1e-30);
  });
}

function Features(a: AnatomyContext) {
  const [h, w, k] = a.an.data.shape;
  return (
    <>
      <p>
        At layer <code>{a.e.result.layer}</code> the photo has become {k.toLocaleString('en-US')}{' '}
        <strong>feature maps</strong> <Ak /> of {h}×{w} positions. Each records where one learned
        pattern occurs in the photo: a bright cell means a strong response there. Nobody chose the
        patterns; training did.
      </p>
      <p className="hint">
        The channels below have the largest share of the heatmap (then, after them, those that lower
        it most). Each thumbnail is scaled to its own maximum. Choose one to see it in detail.
      </p>
      <CappedNote {...a} />
      <ChannelThumbs
        an={a.an}
        ranked={a.ranked}
        channel={a.channel}
        cell={a.cell}
        pick={(d) => d.activation}
        palette="grey"
        shared={false}
        what="feature map"
        caption={(d) => `max ${formatValue(extent(d.activation)[1])}`}
      />
    </>
  );
}

/** Several shown maps peak at exactly 6: the layer is a ReLU6 (MobileNetV2). */
function CappedNote(a: AnatomyContext) {
  const capped = a.ranked.filter((k) => {
    const [, hi] = extent(channelOf(a.an.data.activations, a.an.data.shape, k));
    return hi === 6;
  }).length;
  if (capped < 3) return null;
  return (
    <p className="hint" data-testid="relu6-note">
      {capped} of these maps peak at exactly 6: this layer is a ReLU6, which caps activations at 6.
    </p>
  );
}

function Gradients(a: AnatomyContext) {
  const id = a.method.id;
  if (a.method.kind !== 'gradient') {
    return id === 'scorecam' ? (
      <p>
        Score-CAM uses <strong>no gradients</strong>. It multiplies the photo by each
        channel&rsquo;s feature map, upsampled to the input and rescaled to [0, 1], and runs the
        network on each masked photo: the logit of “{a.cls}” for that photo scores the channel (next
        stage).
      </p>
    ) : (
      <p>
        {a.method.name} uses <strong>no gradients</strong> and no class: its map is the same for
        every class (next stages).
      </p>
    );
  }
  return <GradientThumbs {...a} />;
}

function GradientThumbs(a: AnatomyContext) {
  return (
    <>
      <p>
        Backpropagation gives <Grad />
        <sub>ij</sub>: how fast the logit <Yc /> of “{a.cls}” (now{' '}
        {a.e.result.target.logit.toFixed(2)}) would change if the activation at one position of one
        feature map grew a little. Red: growing it would raise the logit; blue: lower it.
        {a.e.result.counterfactual &&
          ' Counterfactual: the gradients are negated, so red marks what would lower the logit.'}
      </p>
      <UniformNote {...a} />
      <p className="hint">One colour scale for all thumbnails, symmetric around zero.</p>
      <ChannelThumbs
        an={a.an}
        ranked={a.ranked}
        channel={a.channel}
        cell={a.cell}
        pick={(d) => d.gradient}
        palette="signed"
        shared
        what="gradient map"
        caption={(d) => `mean ${formatValue(mean(d.gradient!), true)}`}
      />
    </>
  );
}

function UniformNote(a: AnatomyContext) {
  if (!uniform(a.ranked.slice(0, 4).map((k) => channelGradient(a, k)))) return null;
  return (
    <p data-testid="uniform-gradients">
      Here each gradient map is the same at every position: after this layer the network averages
      each feature map over the positions (global average pooling), so the logit depends on each
      map&rsquo;s mean only.
    </p>
  );
}

function channelGradient(a: AnatomyContext, k: number): Float32Array | undefined {
  const g = a.an.data.gradients;
  if (!g) return undefined;
  const [h, w, kk] = a.an.data.shape;
  const out = new Float32Array(h * w);
  for (let p = 0; p < h * w; p++) out[p] = g[p * kk + k];
  return out;
}

const mean = (v: Float32Array) => v.reduce((s, x) => s + x, 0) / Math.max(1, v.length);

const WEIGHT_TEXT: Record<string, (a: AnatomyContext) => ReactNode> = {
  gradcam: (a) => (
    <>
      Grad-CAM&rsquo;s weight <Alpha /> is the mean of the gradient map over the{' '}
      {a.an.data.shape[0] * a.an.data.shape[1]} positions (eq. 1): how much feature map <Ak />{' '}
      matters for “{a.cls}” overall.
    </>
  ),
  'gradcam++': () => (
    <>
      Grad-CAM++ adds up the positive gradients of a channel, each multiplied by a coefficient a
      <sub>ij</sub> = G² / (2G² + S<sub>k</sub>G³), where G is the gradient there and S<sub>k</sub>{' '}
      the channel&rsquo;s sum (eq. 19): <Alpha /> = Σ<sub>ij</sub> a<sub>ij</sub> ReLU(G
      <sub>ij</sub>).
    </>
  ),
  xgradcam: () => (
    <>
      XGrad-CAM weights each gradient by the activation&rsquo;s part of its channel&rsquo;s sum S
      <sub>k</sub> (eq. 9): <Alpha /> = Σ<sub>ij</sub> (A<sub>ij</sub> / S<sub>k</sub>) G
      <sub>ij</sub>.
    </>
  ),
  scorecam: (a) => (
    <>
      Score-CAM&rsquo;s weight is a softmax over the scored channels of the masked photos&rsquo;
      logits (Algorithm 1): <Alpha /> = exp <Yc />
      (x∘H<sup>k</sup>) / Σ exp <Yc />
      (x∘H<sup>k′</sup>). The weights add up to 1.
      {a.e.result.channelsScored !== undefined &&
        a.e.result.channelsScored < a.an.data.shape[2] &&
        ` Only ${a.e.result.channelsScored} of the ${a.an.data.shape[2]} channels were scored (those whose feature maps vary most); the others have weight 0.`}
    </>
  ),
  hirescam: () => (
    <>
      HiResCAM has no single weight per channel: every position keeps its own gradient, W
      <sub>ij</sub> = <Grad />
      <sub>ij</sub> (eq. 5). The bars show each channel&rsquo;s mean W, which is Grad-CAM&rsquo;s{' '}
      <Alpha />; the map is multiplied position by position.
    </>
  ),
  layercam: () => (
    <>
      LayerCAM keeps only the positive gradients, position by position: W<sub>ij</sub> = ReLU(
      <Grad />
      <sub>ij</sub>) (eq. 6-7). The bars show each channel&rsquo;s mean W.
    </>
  ),
  eigencam: (a) => (
    <>
      Eigen-CAM&rsquo;s weights are the first principal component v of the activations, centred per
      channel and arranged as {a.an.data.shape[0] * a.an.data.shape[1]} positions ×{' '}
      {a.an.data.shape[2]} channels: the direction in which the positions differ most (eq. 6). No
      gradient and no class enter.
    </>
  ),
};

function Weights(a: AnatomyContext) {
  const text = WEIGHT_TEXT[a.method.id];
  let positive = 0;
  for (const v of a.an.weights) if (v > 0) positive++;
  return (
    <>
      <p>
        {text ? (
          text(a)
        ) : (
          <>
            {a.method.name}&rsquo;s channel weights <Alpha /> ({a.method.citation}).
          </>
        )}
      </p>
      <p className="hint">
        {positive.toLocaleString('en-US')} of {a.an.weights.length.toLocaleString('en-US')} channels
        have a positive {weightSymbol(a)}. The bars: the same channels as the thumbnails, to scale
        (red positive, blue negative).
      </p>
      <WeightBars an={a.an} ranked={a.ranked} channel={a.channel} symbol={weightSymbol(a)} />
    </>
  );
}

function Weighted(a: AnatomyContext) {
  const term =
    a.an.weighting === 'channel' ? (
      <>
        <Alpha />
        <Ak />
      </>
    ) : a.an.weighting === 'position' ? (
      <>
        W<sup>k</sup> ⊙ <Ak />
      </>
    ) : (
      <>
        v<sub>k</sub> (<Ak /> − mean)
      </>
    );
  return (
    <>
      <p>
        Each feature map times its weight: {term}. Red cells raise the sum, blue cells lower it. A
        large weight on a silent map adds nothing; a strong map with a small weight adds little.
      </p>
      <p className="hint">
        One colour scale for all thumbnails, so their sizes compare.{' '}
        {a.an.sharesOfMap
          ? 'Under each: the channel’s share of the heatmap (its sum over the cells where the heatmap is above zero, divided by the heatmap’s sum there; the shares of all channels add up to 100 %).'
          : 'Under each: the mean of its weighted map (no cell of the heatmap is above zero).'}
      </p>
      <ChannelThumbs
        an={a.an}
        ranked={a.ranked}
        channel={a.channel}
        cell={a.cell}
        pick={(d) => d.contribution}
        palette="signed"
        shared
        what="weighted feature map"
        caption={(d) => shareText(a, d)}
      />
    </>
  );
}

function Sum(a: AnatomyContext) {
  const colormap = useStore((s) => s.colormap);
  const [h, w] = a.an.data.shape;
  const [lo, hi] = extent(a.an.raw);
  const positive = a.an.raw.filter((v) => v > 0).length;
  const relu = a.an.raw.map((v) => Math.max(0, v));
  return (
    <>
      <p>
        Adding up the {a.an.data.shape[2].toLocaleString('en-US')} weighted maps gives one map, from{' '}
        {formatValue(lo)} (blue) to {formatValue(hi)} (red). The ReLU keeps its positive part:{' '}
        {positive} of {h * w} cells are above zero.{' '}
        {a.method.supportsCounterfactual &&
          (a.e.result.counterfactual
            ? 'The part it drops is the ordinary map of this class.'
            : 'The part it drops is what the counterfactual map shows.')}
        {a.method.id === 'eigencam' &&
          ' Eigen-CAM’s sign is chosen so that the map agrees with the sum of the activations.'}
      </p>
      <div className="thumb-row">
        <figure>
          <MapThumb
            values={a.an.raw}
            width={w}
            height={h}
            palette="signed"
            size={120}
            cell={a.cell}
            label="The weighted sum before ReLU"
          />
          <figcaption>
            Before ReLU: {formatValue(lo)} to {formatValue(hi)}
          </figcaption>
        </figure>
        <figure>
          <MapThumb
            values={relu}
            width={w}
            height={h}
            palette={{ colormap }}
            size={120}
            cell={a.cell}
            label="The weighted sum after ReLU"
          />
          <figcaption>After ReLU: 0 to {formatValue(Math.max(0, hi))}</figcaption>
        </figure>
      </div>
    </>
  );
}

function Upsample(a: AnatomyContext) {
  const colormap = useStore((s) => s.colormap);
  const opacity = useStore((s) => s.opacity);
  const inputSize = useStore((s) => modelSpec(s).inputSize);
  const photo = useStore((s) => s.photo);
  const out = a.e.result.output;
  if (out.kind !== 'layer') return null;
  const up = upsampleBilinear(out.values, out.height, out.width, 8 * out.height, 8 * out.width);
  return (
    <>
      <p>
        Divided by its maximum, {formatValue(out.rawMax)}, the map runs from 0 to 1: its hottest
        cell gets full colour however weak the evidence (the colorbar shows that maximum). The{' '}
        {out.width}×{out.height} map is then resized bilinearly to the photo
        {photo ? ` (${photo.width}×${photo.height})` : ''}, which smooths it but adds no detail,
        coloured, and blended over the photo at {opacity} % opacity. The network itself saw the
        photo at {inputSize}×{inputSize}.
      </p>
      <div className="thumb-row">
        <figure>
          <MapThumb
            values={out.values}
            width={out.width}
            height={out.height}
            palette={{ colormap }}
            scale={1}
            size={120}
            cell={a.cell}
            label={`The normalised map, ${out.width}×${out.height} cells`}
          />
          <figcaption>
            {out.width}×{out.height}, divided by {formatValue(out.rawMax)}
          </figcaption>
        </figure>
        <figure>
          <MapThumb
            values={up}
            width={8 * out.width}
            height={8 * out.height}
            palette={{ colormap }}
            scale={1}
            size={120}
            label="The same map, bilinearly upsampled"
          />
          <figcaption>Bilinearly upsampled</figcaption>
        </figure>
      </div>
    </>
  );
}

/** The stage `i` of STAGES for the anatomy `a`. */
export function Stage({ i, a }: { i: number; a: AnatomyContext }) {
  const parts = [Features, Gradients, Weights, Weighted, Sum, Upsample];
  const Part = parts[i] ?? Features;
  return <Part {...a} />;
}
