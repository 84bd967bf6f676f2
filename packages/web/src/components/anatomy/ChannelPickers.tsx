// The channels as thumbnails or as weight bars: each one a button that shows that channel in
// detail (the same channels in both, the ones with the largest share of the heatmap first).
import { useMemo } from 'react';
import { channelDetail, type Anatomy, type ChannelDetail } from '@gradcam-explorer/core/pure';
import { formatValue } from '../../format';
import { useStore } from '../../state/store';
import { MapThumb, maxAbs, type Palette } from './MapThumb';

/** The details of the ranked channels (memoised per anatomy). */
export function useDetails(an: Anatomy, ranked: number[]): ChannelDetail[] {
  return useMemo(() => ranked.map((k) => channelDetail(an, k)), [an, ranked]);
}

export function ChannelThumbs({
  an,
  ranked,
  channel,
  cell,
  pick,
  palette,
  shared,
  caption,
  what,
}: {
  an: Anatomy;
  ranked: number[];
  channel: number;
  cell: number | null;
  /** The map of a channel's detail to draw. */
  pick(d: ChannelDetail): Float32Array | undefined;
  palette: Palette;
  /** One scale for every thumbnail (signed maps: ±the largest |value| among them). */
  shared: boolean;
  caption(d: ChannelDetail): string;
  /** What each thumbnail is, for its accessible name, e.g. "feature map". */
  what: string;
}) {
  const setChannel = useStore((s) => s.setAnatomyChannel);
  const details = useDetails(an, ranked);
  const [h, w] = an.data.shape;
  const scale = shared
    ? Math.max(...details.map((d) => maxAbs(pick(d) ?? new Float32Array(0))))
    : undefined;
  return (
    <ul className="channel-thumbs">
      {details.map((d) => {
        const values = pick(d);
        if (!values) return null;
        return (
          <li key={d.channel}>
            <button
              type="button"
              className="channel-thumb"
              aria-pressed={d.channel === channel}
              onClick={() => setChannel(d.channel)}
            >
              <MapThumb
                values={values}
                width={w}
                height={h}
                palette={palette}
                scale={scale}
                size={64}
                cell={cell}
                label={`The ${what} of channel ${d.channel}`}
              />
              <span className="channel-caption">
                <span className="channel-name">ch {d.channel}</span>
                <span>{caption(d)}</span>
              </span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}

export function WeightBars({
  an,
  ranked,
  channel,
  symbol,
}: {
  an: Anatomy;
  ranked: number[];
  channel: number;
  /** The weight's name, e.g. "α", "mean W", "v". */
  symbol: string;
}) {
  const setChannel = useStore((s) => s.setAnatomyChannel);
  const max = Math.max(...ranked.map((k) => Math.abs(an.weights[k])), 1e-30);
  return (
    <ul className="weight-bars">
      {ranked.map((k) => {
        const v = an.weights[k];
        return (
          <li key={k}>
            <button
              type="button"
              className="weight-bar"
              aria-pressed={k === channel}
              onClick={() => setChannel(k)}
              aria-label={`Channel ${k}: ${symbol} ${formatValue(v, true)}`}
            >
              <span className="wb-label">ch {k}</span>
              <span className="wb-track" aria-hidden="true">
                <span
                  className={`wb-fill ${v >= 0 ? 'pos' : 'neg'}`}
                  style={{ width: `${(50 * Math.abs(v)) / max}%` }}
                />
              </span>
              <span className="wb-value">{formatValue(v, true)}</span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
