// One small map over the photo, for the side-by-side views (compare, sanity check). Display
// settings (colormap, opacity, saliency view) come from the store, as for the big heatmap; `gain`
// puts a layer map on a shared scale (state/scale.ts).
import { useLayoutEffect, useMemo, useRef, type ReactNode } from 'react';
import { resizeRgba, type RgbaImage } from '@gradcam-explorer/core/pure';
import { Compositor, type Heat } from '../../overlay/compose';
import type { Photo } from '../../state/photo';
import { useStore } from '../../state/store';
import type { LayerMapDto, SaliencyDto } from '../../worker/protocol';
import './compare.css';

/** Backing-store width of a tile, in pixels (CSS shrinks it to the grid's column). */
export const TILE_PIXELS = 320;

const bases = new WeakMap<Photo, Map<number, RgbaImage>>();

/** The photo at `width` pixels wide (kept per photo: every tile of a view shares it). */
export function tileBase(photo: Photo, width = TILE_PIXELS): RgbaImage {
  let sizes = bases.get(photo);
  if (!sizes) {
    sizes = new Map();
    bases.set(photo, sizes);
  }
  let base = sizes.get(width);
  if (!base) {
    const w = Math.min(width, photo.base.width);
    const h = Math.max(1, Math.round((photo.base.height * w) / photo.base.width));
    base = w === photo.base.width ? photo.base : resizeRgba(photo.base, w, h);
    sizes.set(width, base);
  }
  return base;
}

/** A worker's map as the compositor draws it. */
export function heatOf(o: LayerMapDto | SaliencyDto): Heat {
  return o.kind === 'layer'
    ? { kind: 'layer', width: o.width, height: o.height, values: o.values }
    : { kind: 'saliency', width: o.width, height: o.height, rgb: o.rgb, magnitude: o.magnitude };
}

export function MapTile({
  photo,
  heat,
  gain = 1,
  label,
  testId,
  opacity: fixedOpacity,
  children,
}: {
  photo: Photo;
  heat: Heat;
  /** Multiplies a layer map's values (shared scale); 1 = its own maximum is full colour. */
  gain?: number;
  /** The picture's accessible name. */
  label: string;
  testId?: string;
  /** Draw at this opacity instead of the display setting (1: the map alone). */
  opacity?: number;
  children?: ReactNode;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const compositor = useMemo(() => new Compositor(), []);
  const colormap = useStore((s) => s.colormap);
  const chosen = useStore((s) => s.opacity / 100);
  const opacity = fixedOpacity ?? chosen;
  const saliencyMode = useStore((s) => s.saliencyMode);
  const base = tileBase(photo);
  useLayoutEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx) return;
    const out = compositor.compose(base, heat, { colormap, opacity, saliencyMode, gain });
    ctx.putImageData(
      new ImageData(out.data as Uint8ClampedArray<ArrayBuffer>, out.width, out.height),
      0,
      0,
    );
  }, [compositor, base, heat, colormap, opacity, saliencyMode, gain]);
  return (
    <figure className="map-tile" data-testid={testId}>
      <canvas ref={canvas} width={base.width} height={base.height} role="img" aria-label={label} />
      {children && <figcaption>{children}</figcaption>}
    </figure>
  );
}
