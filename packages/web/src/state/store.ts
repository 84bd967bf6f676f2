// The page's state: one zustand store made of slices, each in its own file with the actions
// that change it. Components read the fields they show with `useStore(selector)`; the flow of work
// through the engine (load, classify, explain) is in pipeline.ts.
//   model        the network, its weights, the engine's backend     ChooseStep, the heatmap's placeholder
//   photo        the photo, its predictions, how many are listed     ChooseStep, PredictStep, the overlay
//   explanation  the question (class, method, layer...) and its map  PredictStep, ExplainStep
//   display      colormap, opacity, saliency view (no worker)        ExplainStep's overlay and controls
//   trust        faithfulness curves, "hide and predict again"       TrustPanel, HidePanel
//   views        which view step 3 shows                             ExplainStep's tabs
//   anatomy      "How was this computed?": the map taken apart       components/anatomy
//   compare      classes / networks / methods side by side           components/compare
//   sanity       the cascading randomisation test                    components/sanity
import { create, type StateCreator } from 'zustand';
import { engine } from '../engine/engine-client';
import { forgetTimings } from '../perf/heatmap-timing';
import { createDisplaySlice, type DisplaySlice } from './display';
import { createExplanationSlice, type ExplanationSlice } from './explanation';
import { createModelSlice, type ModelSlice } from './model';
import { createPhotoSlice, type PhotoSlice } from './photo';
import { createTrustSlice, type TrustSlice } from './trust';
import { createViewsSlice, type ViewsSlice } from './views';
import { createAnatomySlice, type AnatomySlice } from './anatomy';
import { createCompareSlice, type CompareSlice } from './compare';
import { createSanitySlice, type SanitySlice } from './sanity';
import { newGeneration } from './work';

interface WorkSlice {
  /** Drops everything computed for the current photo and stops the engine's jobs. */
  clearWork(): void;
  /** Clears the photo and every setting, and returns to the default network's official weights. */
  reset(): void;
}

export type Store = ModelSlice &
  PhotoSlice &
  ExplanationSlice &
  DisplaySlice &
  TrustSlice &
  ViewsSlice &
  AnatomySlice &
  CompareSlice &
  SanitySlice &
  WorkSlice;

/** A slice's part of the store; `get()` reaches the other slices' fields and actions. */
export type Slice<T> = StateCreator<Store, [], [], T>;

const createWorkSlice: Slice<WorkSlice> = (_set, get) => ({
  clearWork() {
    newGeneration();
    engine().cancelAll();
    get().forgetAnalysis();
    get().forgetExplanation();
    get().forgetMeasurements();
  },
  reset() {
    const s = get();
    s.resetPhoto();
    forgetTimings();
    s.resetQuestion();
    s.resetDisplay();
    s.resetChecks();
    s.resetViews();
    s.resetAnatomy();
    s.resetModel();
  },
});

export const useStore = create<Store>()((...a) => ({
  ...createModelSlice(...a),
  ...createPhotoSlice(...a),
  ...createExplanationSlice(...a),
  ...createDisplaySlice(...a),
  ...createTrustSlice(...a),
  ...createViewsSlice(...a),
  ...createAnatomySlice(...a),
  ...createCompareSlice(...a),
  ...createSanitySlice(...a),
  ...createWorkSlice(...a),
}));
