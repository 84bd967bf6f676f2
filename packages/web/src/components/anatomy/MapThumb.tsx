// A small map drawn cell by cell (pixelated): a feature map in grey, a signed map (gradients,
// weighted maps, the sum before ReLU) in blue-white-red around zero, or a heatmap through the
// colormap. The cell the learner inspects on the heatmap is outlined in every thumbnail.
import { useEffect, useRef } from 'react';
import { colorize, getColormap, type Colormap } from '@gradcam-explorer/core/pure';

function table(id: string, f: (t: number) => [number, number, number]): Colormap {
  const lut = new Uint8Array(768);
  for (let i = 0; i < 256; i++) lut.set(f(i / 255).map(Math.round), 3 * i);
  return { id, name: id, description: '', perceptuallyUniform: false, lut };
}
const lerp = (a: number, b: number, t: number) => a + (b - a) * t;
/** Black to white: brighter = more active. */
const GREY = table('grey', (t) => [255 * t, 255 * t, 255 * t]);
/** Blue-white-red with white at 0 (the endpoints of Moreland's cool-warm map), for signed values. */
export const DIVERGING = table('diverging', (t) =>
  t < 0.5
    ? [lerp(59, 242, t * 2), lerp(76, 242, t * 2), lerp(192, 242, t * 2)]
    : [lerp(242, 180, t * 2 - 1), lerp(242, 4, t * 2 - 1), lerp(242, 38, t * 2 - 1)],
);

export type Palette = 'grey' | 'signed' | { colormap: string };

/** Largest absolute value (0 for an empty or all-zero array). */
export function maxAbs(values: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) m = Math.max(m, Math.abs(values[i]));
  return m;
}

/**
 * Values to [0, 1] for drawing: 'grey' and colormaps divide by `scale` (default: the maximum) and
 * clip at 0; 'signed' maps -scale..scale to 0..1 with 0 at the middle (default: the largest |v|).
 */
export function toUnit(values: Float32Array, palette: Palette, scale?: number): Float32Array {
  if (palette === 'signed') {
    const m = scale ?? maxAbs(values);
    return values.map((v) => (m > 0 ? 0.5 + v / (2 * m) : 0.5));
  }
  let m = scale ?? 0;
  if (scale === undefined) for (const v of values) m = Math.max(m, v);
  return values.map((v) => (m > 0 ? Math.max(0, v) / m : 0));
}

export function MapThumb({
  values,
  width,
  height,
  palette,
  scale,
  label,
  size = 84,
  cell = null,
}: {
  values: Float32Array;
  width: number;
  height: number;
  palette: Palette;
  /** See `toUnit`. */
  scale?: number;
  /** Accessible description of what the picture shows. */
  label: string;
  /** Long side in CSS pixels. */
  size?: number;
  /** A position to outline (row * width + column). */
  cell?: number | null;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  const key = typeof palette === 'string' ? palette : palette.colormap;
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const lut = palette === 'grey' ? GREY : palette === 'signed' ? DIVERGING : getColormap(key);
    const rgba = colorize(toUnit(values, palette, scale), lut);
    ctx.putImageData(new ImageData(new Uint8ClampedArray(rgba), width, height), 0, 0);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [values, width, height, key, scale]);
  const k = size / Math.max(width, height);
  const w = Math.round(width * k);
  const h = Math.round(height * k);
  return (
    <span className="thumb-box" style={{ width: w, height: h }}>
      <canvas
        ref={ref}
        width={width}
        height={height}
        className="thumb"
        style={{ width: w, height: h }}
        role="img"
        aria-label={label}
      />
      {cell !== null && cell < width * height && (
        <span
          className="thumb-cell"
          aria-hidden="true"
          style={{
            left: `${(100 * (cell % width)) / width}%`,
            top: `${(100 * Math.floor(cell / width)) / height}%`,
            width: `${100 / width}%`,
            height: `${100 / height}%`,
          }}
        />
      )}
    </span>
  );
}
