// How the map is shown: colormap, opacity, and the view of pixel-level gradients. Changing them
// only redraws on the main thread; the worker never hears of it.
import { DEFAULT_COLORMAP, type SaliencyMode } from '@gradcam-explorer/core/pure';
import type { Slice } from './store';

export interface DisplaySettings {
  colormap: string;
  /** Percent, 0 to 100. */
  opacity: number;
  saliencyMode: SaliencyMode;
}

export interface DisplaySlice extends DisplaySettings {
  setColormap(id: string): void;
  setOpacity(percent: number): void;
  setSaliencyMode(mode: SaliencyMode): void;
  resetDisplay(): void;
}

const INITIAL: DisplaySettings = {
  colormap: DEFAULT_COLORMAP,
  opacity: 50,
  saliencyMode: 'deprocess',
};

export const createDisplaySlice: Slice<DisplaySlice> = (set) => ({
  ...INITIAL,
  setColormap: (colormap) => set({ colormap }),
  setOpacity: (opacity) => set({ opacity }),
  setSaliencyMode: (saliencyMode) => set({ saliencyMode }),
  resetDisplay: () => set(INITIAL),
});
