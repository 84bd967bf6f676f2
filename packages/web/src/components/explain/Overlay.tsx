// The heatmap over the photo. Display settings (colormap, opacity, saliency view) recompose it here
// on the main thread, without the worker.
import { useLayoutEffect, useRef } from 'react';
import { CAM_METHODS } from '@gradcam-explorer/core/pure';
import { shortLabel } from '../../format';
import { Compositor } from '../../overlay/compose';
import { heatmapDrawn } from '../../perf/heatmap-timing';
import { measure, mark, MEASURES } from '../../perf/user-timing';
import type { ExplanationState } from '../../state/explanation';
import type { Photo } from '../../state/photo';
import { heatmapScale } from '../../state/scale';
import { useStore } from '../../state/store';

export function Overlay({ photo, e }: { photo: Photo; e: ExplanationState }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const compositor = useRef(new Compositor());
  const colormap = useStore((s) => s.colormap);
  const opacity = useStore((s) => s.opacity / 100);
  const saliencyMode = useStore((s) => s.saliencyMode);
  const gain = useStore((s) => heatmapScale(e, s.scaleMode)?.gain ?? 1);
  useLayoutEffect(() => {
    const c = canvas.current;
    const ctx = c?.getContext('2d');
    if (!c || !ctx) return;
    const start = mark('gc:compose-start');
    const out = compositor.current.compose(photo.base, e.heat, {
      colormap,
      opacity,
      saliencyMode,
      gain,
    });
    ctx.putImageData(
      new ImageData(out.data as Uint8ClampedArray<ArrayBuffer>, out.width, out.height),
      0,
      0,
    );
    measure(MEASURES.compose, start);
    heatmapDrawn(e);
  }, [photo, e, colormap, opacity, saliencyMode, gain]);
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
