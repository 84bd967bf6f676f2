// "How was this computed?": the map taken apart (core `anatomyOf`) from the arrays behind it,
// fetched from the worker for the shown explanation while that view is open, and what the learner
// is looking at: the stage of the computation, the channel and the heatmap cell.
import { anatomyOf, type Anatomy } from '@gradcam-explorer/core/pure';
import { engine, isCancel } from '../engine/engine-client';
import type { ExplanationState } from './explanation';
import { errorMessage, IDLE_RUN, type Run } from './run';
import type { Slice } from './store';
import { generation } from './work';

/** The stages, in the order the computation runs (the stepper's tabs). */
export const STAGES = [
  { id: 'features', title: 'Feature maps' },
  { id: 'gradients', title: 'Gradients' },
  { id: 'weights', title: 'Weights' },
  { id: 'weighted', title: 'Weighted maps' },
  { id: 'sum', title: 'Sum and ReLU' },
  { id: 'upsample', title: 'Normalise and upsample' },
] as const;

export interface AnatomyState {
  /** The explanation taken apart (`ExplainResult.outputId`). */
  outputId: number;
  /** Null when the method has no such form (pixel-level methods). */
  an: Anatomy | null;
}

export interface AnatomySlice {
  anatomyStage: number;
  setAnatomyStage(stage: number): void;
  /** The channel shown in detail; null: the one with the largest share of the map. */
  anatomyChannel: number | null;
  setAnatomyChannel(k: number | null): void;
  /** The heatmap cell inspected (row * width + column); null: none. */
  anatomyCell: number | null;
  setAnatomyCell(p: number | null): void;
  anatomy: AnatomyState | null;
  anatomyRun: Run;
  /** Fetches the arrays behind `e` (once per explanation) and takes its map apart. */
  loadAnatomy(e: ExplanationState): void;
  resetAnatomy(): void;
}

const INITIAL = { anatomyStage: 0, anatomyChannel: null, anatomyCell: null };

export const createAnatomySlice: Slice<AnatomySlice> = (set, get) => {
  let asked = -1;
  return {
    ...INITIAL,
    anatomy: null,
    anatomyRun: IDLE_RUN,
    setAnatomyStage: (anatomyStage) =>
      set({ anatomyStage: Math.max(0, Math.min(STAGES.length - 1, anatomyStage)) }),
    setAnatomyChannel: (anatomyChannel) => set({ anatomyChannel }),
    setAnatomyCell: (anatomyCell) => set({ anatomyCell }),

    loadAnatomy(e) {
      const id = e.result.outputId;
      if (asked === id || get().anatomy?.outputId === id) return;
      asked = id;
      const c = engine();
      set({ anatomyRun: { ...IDLE_RUN, running: true } });
      c.api
        .anatomy({ gen: e.result.gen, epoch: c.epoch(), outputId: id })
        .then((data) => {
          if (asked !== id || e.result.gen !== generation()) return;
          set({ anatomy: { outputId: id, an: anatomyOf(data) }, anatomyRun: IDLE_RUN });
        })
        .catch((err) => {
          if (asked !== id) return;
          asked = -1; // asked again when the view shows this explanation next time
          set({ anatomyRun: isCancel(err) ? IDLE_RUN : { ...IDLE_RUN, error: errorMessage(err) } });
        });
    },

    resetAnatomy() {
      asked = -1;
      set({ ...INITIAL, anatomy: null, anatomyRun: IDLE_RUN });
    },
  };
};
