// Step 3's views: the heatmap with its settings and checks, "How was this computed?", and the
// views that other panels add (components/explain/views.tsx lists them). Only the chosen one is
// shown; each keeps its own state in the store, so switching loses nothing.
import type { Slice } from './store';

export const DEFAULT_VIEW = 'heatmap';

export interface ViewsSlice {
  /** The id of the view shown in step 3. */
  explainView: string;
  setExplainView(id: string): void;
  resetViews(): void;
}

export const createViewsSlice: Slice<ViewsSlice> = (set) => ({
  explainView: DEFAULT_VIEW,
  setExplainView: (explainView) => set({ explainView }),
  resetViews: () => set({ explainView: DEFAULT_VIEW }),
});
