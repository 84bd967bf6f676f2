// One channel in detail: its feature map, its gradient map, the method's weight for it (and the
// per-position weights where the method has them), and its weighted map with its share of the
// heatmap. Every number says what it is.
import { extent, upsampleBilinear } from '@gradcam-explorer/core/pure';
import { useEffect, useRef, type ComponentProps, type ReactNode } from 'react';
import { formatShare, formatValue } from '../../format';
import type { Photo } from '../../state/photo';
import { useStore } from '../../state/store';
import { MapThumb } from './MapThumb';
import { Ak, Alpha, Grad } from './Stages';
import type { AnatomyContext } from './use-anatomy';

const mean = (v: Float32Array) => v.reduce((s, x) => s + x, 0) / Math.max(1, v.length);

/** Score-CAM's masked photo for channel k: the photo times its upsampled, min-max scaled map. */
function MaskedPhoto({
  photo,
  map,
  w,
  h,
}: {
  photo: Photo;
  map: Float32Array;
  w: number;
  h: number;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const b = photo.base;
    const up = upsampleBilinear(map, h, w, b.height, b.width);
    const [lo, hi] = extent(up);
    const out = new Uint8ClampedArray(b.data.length);
    for (let i = 0; i < up.length; i++) {
      const m = hi > lo ? (up[i] - lo) / (hi - lo) : 0;
      out[4 * i] = b.data[4 * i] * m;
      out[4 * i + 1] = b.data[4 * i + 1] * m;
      out[4 * i + 2] = b.data[4 * i + 2] * m;
      out[4 * i + 3] = 255;
    }
    ctx.putImageData(new ImageData(out, b.width, b.height), 0, 0);
  }, [photo, map, w, h]);
  const k = 96 / Math.max(photo.base.width, photo.base.height);
  return (
    <canvas
      ref={ref}
      width={photo.base.width}
      height={photo.base.height}
      className="thumb"
      style={{
        width: Math.round(photo.base.width * k),
        height: Math.round(photo.base.height * k),
      }}
      role="img"
      aria-label="The photo seen through this channel's mask"
    />
  );
}

/** One of the channel's maps at the layer's resolution, with what it is. */
function Thumb({ children, ...map }: ComponentProps<typeof MapThumb> & { children: ReactNode }) {
  return (
    <figure>
      <MapThumb {...map} />
      <figcaption>{children}</figcaption>
    </figure>
  );
}

export function ChannelCard(a: AnatomyContext) {
  const photo = useStore((s) => s.photo);
  const d = a.detail;
  const [h, w] = a.an.data.shape;
  const [aLo, aHi] = extent(d.activation);
  const id = a.method.id;
  let best = 0;
  for (const v of a.an.weights) best = Math.max(best, v);
  const grid = { width: w, height: h, cell: a.cell };
  return (
    <section
      className="channel-card"
      aria-labelledby="channel-card-title"
      data-testid="channel-card"
    >
      <h4 id="channel-card-title">
        Channel {d.channel}
        <span className="channel-share">
          {a.an.sharesOfMap
            ? ` · share of the heatmap ${formatShare(d.share)}`
            : ` · mean weighted value ${formatValue(d.share, true)}`}
        </span>
      </h4>
      <div className="thumb-row">
        <Thumb
          {...grid}
          values={d.activation}
          palette="grey"
          label={`Feature map of channel ${d.channel}`}
        >
          Feature map <Ak />: max {formatValue(aHi)}, mean {formatValue(mean(d.activation))}
          {aLo < 0 ? `, min ${formatValue(aLo)}` : ''}
        </Thumb>
        {d.gradient && (
          <Thumb
            {...grid}
            values={d.gradient}
            palette="signed"
            label={`Gradient map of channel ${d.channel}`}
          >
            Gradient <Grad />: {formatValue(extent(d.gradient)[0], true)} to{' '}
            {formatValue(extent(d.gradient)[1], true)}, mean {formatValue(mean(d.gradient), true)}
          </Thumb>
        )}
        {d.coefficients && (
          <Thumb
            {...grid}
            values={d.coefficients}
            palette="grey"
            label={`Grad-CAM++ coefficients of channel ${d.channel}`}
          >
            Coefficients a<sub>ij</sub>: max {formatValue(extent(d.coefficients)[1])}
          </Thumb>
        )}
        {id === 'xgradcam' && d.alphaTerms && (
          <Thumb
            {...grid}
            values={d.alphaTerms}
            palette="signed"
            label={`XGrad-CAM's terms of channel ${d.channel}`}
          >
            (A<sub>ij</sub> / S<sub>k</sub>) G<sub>ij</sub>: they add up to <Alpha />
          </Thumb>
        )}
        {id === 'layercam' && d.positionWeights && (
          <Thumb
            {...grid}
            values={d.positionWeights}
            palette="grey"
            label={`LayerCAM's weights of channel ${d.channel}`}
          >
            Weights W = ReLU(gradient): max {formatValue(extent(d.positionWeights)[1])}
          </Thumb>
        )}
        {id === 'scorecam' && photo && (
          <figure>
            <MaskedPhoto photo={photo} map={d.activation} w={w} h={h} />
            <figcaption>The photo through this channel&rsquo;s mask</figcaption>
          </figure>
        )}
        <Thumb
          {...grid}
          values={d.contribution}
          palette="signed"
          label={`Weighted feature map of channel ${d.channel}`}
        >
          Weighted map: {formatValue(extent(d.contribution)[0], true)} to{' '}
          {formatValue(extent(d.contribution)[1], true)}
        </Thumb>
      </div>
      <p className="channel-weight" data-testid="channel-weight">
        {a.an.weighting === 'channel' && (
          <>
            Weight <Alpha /> = {formatValue(d.weight, true)}
            {id === 'gradcam' && ': the mean of its gradient map'}
            {(id === 'gradcam++' || id === 'xgradcam') && ': the sum of its per-position terms'}
            {id === 'scorecam' &&
              (d.weight <= 0
                ? ': not scored, weight 0'
                : d.weight >= best
                  ? ': the best-scoring channel'
                  : `: the logit of its masked photo is ${formatValue(-Math.log(d.weight / best))} below that of the best-scoring channel (the log of the ratio of their weights)`)}
            .
          </>
        )}
        {a.an.weighting === 'position' && (
          <>
            Mean weight W = {formatValue(d.weight, true)} over the {h * w} positions (each position
            has its own weight W{id === 'hirescam' ? ', its gradient' : ''}).
          </>
        )}
        {a.an.weighting === 'component' && (
          <>
            Component v<sub>k</sub> = {formatValue(d.weight, true)}: this channel&rsquo;s part of
            the direction in which the positions differ most.
          </>
        )}{' '}
        {a.an.sharesOfMap
          ? `Its share of the heatmap: ${formatShare(d.share)}.`
          : `The mean of its weighted map is ${formatValue(d.share, true)}.`}
      </p>
    </section>
  );
}
