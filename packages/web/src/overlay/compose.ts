// Heatmap composition on the main thread: the worker's small map is upsampled once per result and
// size, then every opacity or colormap change is one table-driven blend (core `overlay`).
import {
  getColormap,
  overlay,
  resizeRgba,
  saliencyToRgba,
  upsampleBilinear,
  type RgbaImage,
  type SaliencyMode,
} from '@gradcam-explorer/core/pure';

export type Heat =
  | { kind: 'layer'; width: number; height: number; values: Float32Array }
  | { kind: 'saliency'; width: number; height: number; rgb: Float32Array; magnitude: Float32Array };

export interface ComposeOptions {
  colormap: string;
  /** Heatmap opacity in [0, 1]. */
  opacity: number;
  /** Saliency images: signed gradients in grey, or magnitude through the colormap. */
  saliencyMode: SaliencyMode;
  /**
   * Layer maps: multiplies the values (each map arrives divided by its own maximum), e.g. to draw
   * maps on one shared scale (state/scale.ts). Default 1.
   */
  gain?: number;
}

/**
 * Composes heat over a photo. Keeps the last upsampled map (per heat object and size) and the last
 * rendered saliency image, so display-only changes cost one pass over the pixels.
 */
export class Compositor {
  private upHeat: Heat | null = null;
  private upSize = '';
  private up: Float32Array | null = null;
  private salKey = '';
  private sal: RgbaImage | null = null;

  /** The map at `width x height` (bilinear, half-pixel centres: core `upsampleBilinear`). */
  mapAt(heat: Heat, width: number, height: number): Float32Array {
    const size = `${width}x${height}`;
    if (this.upHeat !== heat || this.upSize !== size || !this.up) {
      const values = heat.kind === 'layer' ? heat.values : heat.magnitude;
      this.up = upsampleBilinear(values, heat.height, heat.width, height, width);
      this.upHeat = heat;
      this.upSize = size;
    }
    return this.up;
  }

  compose(base: RgbaImage, heat: Heat, o: ComposeOptions): RgbaImage {
    const cmap = getColormap(o.colormap);
    if (heat.kind === 'layer') {
      const map = this.mapAt(heat, base.width, base.height);
      const gain = o.gain ?? 1;
      return overlay(base, gain === 1 ? map : map.map((v) => v * gain), cmap, o.opacity);
    }
    // Saliency: render at the model's resolution, resize to the photo, blend.
    const key = `${o.saliencyMode}|${o.colormap}|${base.width}x${base.height}`;
    if (this.upHeat !== heat || this.salKey !== key || !this.sal) {
      const img = saliencyToRgba(heat.rgb, heat.width, heat.height, {
        mode: o.saliencyMode,
        colormap: o.saliencyMode === 'abs' ? cmap : undefined,
      });
      this.sal = resizeRgba(img, base.width, base.height);
      this.salKey = key;
      this.upHeat = heat;
      this.upSize = '';
    }
    return blend(base, this.sal, o.opacity);
  }
}

/** out = (1 - a) * base + a * top per RGB channel, opaque. */
export function blend(base: RgbaImage, top: RgbaImage, a: number): RgbaImage {
  const n = base.width * base.height;
  const out = new Uint8ClampedArray(n * 4);
  const b = base.data;
  const t = top.data;
  for (let i = 0; i < n * 4; i += 4) {
    out[i] = (1 - a) * b[i] + a * t[i];
    out[i + 1] = (1 - a) * b[i + 1] + a * t[i + 1];
    out[i + 2] = (1 - a) * b[i + 2] + a * t[i + 2];
    out[i + 3] = 255;
  }
  return { width: base.width, height: base.height, data: out };
}

/** Mean of `values` (row-major h x w) over the top and bottom halves: where the map's weight is. */
export function halves(values: Float32Array, width: number, height: number): [number, number] {
  let top = 0;
  let bottom = 0;
  const mid = height / 2;
  for (let y = 0; y < height; y++) {
    let row = 0;
    for (let x = 0; x < width; x++) row += values[y * width + x];
    // A middle row of an odd height counts half to each side.
    const wTop = y + 1 <= mid ? 1 : y < mid ? mid - y : 0;
    top += row * wTop;
    bottom += row * (1 - wTop);
  }
  return [top, bottom];
}

/** Pixels with map value above `threshold` blacked out (the "hide" preview): core's rule. */
export { hideRegions } from '@gradcam-explorer/core/pure';
