// How the map is shown: colormap, opacity, the view of pixel-level gradients, the colour scale.
// Changing them only redraws on the main thread; the worker never hears of it.
import { DEFAULT_COLORMAP, type SaliencyMode } from '@gradcam-explorer/core/pure';
import type { ScaleMode } from './scale-math';
import type { Slice } from './store';

export interface DisplaySettings {
  colormap: string;
  /** Percent, 0 to 100. */
  opacity: number;
  saliencyMode: SaliencyMode;
  /** Each map on its own maximum, or maps shown together on one scale (state/scale.ts). */
  scaleMode: ScaleMode;
}

export interface DisplaySlice extends DisplaySettings {
  setColormap(id: string): void;
  setOpacity(percent: number): void;
  setSaliencyMode(mode: SaliencyMode): void;
  setScaleMode(mode: ScaleMode): void;
  resetDisplay(): void;
}

const INITIAL: DisplaySettings = {
  colormap: DEFAULT_COLORMAP,
  opacity: 50,
  saliencyMode: 'deprocess',
  scaleMode: 'own',
};

export const createDisplaySlice: Slice<DisplaySlice> = (set) => ({
  ...INITIAL,
  setColormap: (colormap) => set({ colormap }),
  setOpacity: (opacity) => set({ opacity }),
  setSaliencyMode: (saliencyMode) => set({ saliencyMode }),
  setScaleMode: (scaleMode) => set({ scaleMode }),
  resetDisplay: () => set(INITIAL),
});
