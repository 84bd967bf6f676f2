// Checks of the shown map: deletion / insertion curves (core `faithfulness`, about 43 forward
// passes), kept per question for the current photo, and "hide these regions and predict again"
// for counterfactual maps.
import * as Comlink from 'comlink';
import { CAM_METHODS } from '@gradcam-explorer/core/pure';
import { engine, isCancel } from '../engine/engine-client';
import { shortLabel } from '../format';
import { MEASURES, record } from '../perf/user-timing';
import type { FaithfulnessBaseline, MaskedResult } from '../worker/protocol';
import { measureKey, upsertMeasurement, type Measurement, type MeasureSpec } from './measurements';
import { errorMessage, IDLE_RUN, withProgress, type Run } from './run';
import type { Slice } from './store';
import { generation } from './work';

export interface MaskedState {
  running: boolean;
  result: MaskedResult | null;
  threshold: number;
  error: string | null;
}

export interface TrustSlice {
  baseline: FaithfulnessBaseline;
  /** Faithfulness results for the current photo, oldest first. */
  measurements: Measurement[];
  measureRun: Run;
  /** "Hide and predict again": regions above this share of the map's maximum are hidden. */
  threshold: number;
  masked: MaskedState | null;
  setBaseline(b: FaithfulnessBaseline): void;
  setThreshold(t: number): void;
  /** Deletion / insertion curves of the shown map. */
  measureMap(): Promise<void>;
  cancelMeasure(): void;
  /** Classifies the photo again with the shown map's regions above the threshold hidden. */
  predictHidden(): Promise<void>;
  /** A new map: checks of the last one are dropped. */
  forgetChecks(): void;
  /** A new photo or network: the kept results go too. */
  forgetMeasurements(): void;
  resetChecks(): void;
}

const INITIAL = { threshold: 0.5, baseline: 'blur' as FaithfulnessBaseline };

/** "Score-CAM (counterfactual), 16 channels". */
function labelOf(method: string, counterfactual: boolean, channels: number | undefined): string {
  const name = CAM_METHODS.find((m) => m.id === method)?.name ?? method;
  return [
    name + (counterfactual ? ' (counterfactual)' : ''),
    channels !== undefined ? `${channels} channels` : null,
  ]
    .filter(Boolean)
    .join(', ');
}

export const createTrustSlice: Slice<TrustSlice> = (set, get) => {
  let measureSeq = 0;
  const run = (measureRun: Run) => set({ measureRun });

  return {
    ...INITIAL,
    measurements: [],
    measureRun: IDLE_RUN,
    masked: null,

    setBaseline: (baseline) => set({ baseline }),
    setThreshold: (threshold) => set({ threshold }),

    async measureMap() {
      const { explanation: e, baseline } = get();
      if (!e || e.result.gen !== generation()) return;
      const r = e.result;
      const seq = ++measureSeq;
      const c = engine();
      const spec: MeasureSpec = {
        method: r.method,
        layer: r.layer,
        classIndex: r.target.index,
        counterfactual: r.counterfactual,
        baseline,
        channels: r.channelsScored,
      };
      run({ ...IDLE_RUN, running: true, progress: 0 });
      try {
        const result = await c.api.measure(
          { gen: r.gen, epoch: c.epoch(), outputId: r.outputId, baseline },
          Comlink.proxy((f: number) => {
            if (seq === measureSeq) set((s) => ({ measureRun: withProgress(s.measureRun, f) }));
          }),
        );
        if (seq !== measureSeq || result.gen !== generation()) return;
        record(MEASURES.workerMeasure, result.ms, { method: r.method, baseline });
        set((s) => ({
          measurements: upsertMeasurement(s.measurements, {
            ...spec,
            key: measureKey(spec),
            label: labelOf(r.method, r.counterfactual, r.channelsScored),
            className: shortLabel(r.target.label),
            result,
          }),
          measureRun: IDLE_RUN,
        }));
      } catch (err) {
        if (seq !== measureSeq) return;
        run(
          isCancel(err)
            ? { ...IDLE_RUN, cancelled: true }
            : { ...IDLE_RUN, error: errorMessage(err) },
        );
      }
    },

    cancelMeasure() {
      measureSeq++;
      engine().cancelAll();
      run({ ...IDLE_RUN, cancelled: true });
    },

    async predictHidden() {
      const { explanation: e, threshold: t } = get();
      if (!e || e.heat.kind !== 'layer') return;
      const asked = get().explainSeq();
      const gen = generation();
      const h = e.heat;
      const c = engine();
      set({ masked: { running: true, result: null, threshold: t, error: null } });
      try {
        const result = await c.api.predictMasked({
          gen,
          epoch: c.epoch(),
          classIndex: e.result.target.index,
          map: { width: h.width, height: h.height, values: h.values },
          threshold: t,
        });
        if (asked !== get().explainSeq() || gen !== generation()) return;
        set({ masked: { running: false, result, threshold: t, error: null } });
      } catch (err) {
        if (asked !== get().explainSeq()) return;
        // Cancelled by a measurement's Cancel (one shared epoch): just stop.
        set({
          masked: {
            running: false,
            result: null,
            threshold: t,
            error: isCancel(err) ? null : errorMessage(err),
          },
        });
      }
    },

    forgetChecks() {
      measureSeq++;
      set({ masked: null, measureRun: IDLE_RUN });
    },

    forgetMeasurements() {
      get().forgetChecks();
      set({ measurements: [] });
    },

    resetChecks: () => set(INITIAL),
  };
};
