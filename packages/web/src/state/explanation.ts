// The question asked of the network (which class, method, layer, counterfactual or not, Score-CAM's
// channel count) and its answer: the map, computed in the worker on the kept analysis.
import * as Comlink from 'comlink';
import { CAM_METHODS, DEFAULT_METHOD, type CamMethod } from '@gradcam-explorer/core/pure';
import { engine, isCancel } from '../engine/engine-client';
import type { Heat } from '../overlay/compose';
import {
  channelCountOption,
  DEFAULT_SCORE_CHANNELS,
  effectiveChannels,
} from '../methods/channel-options';
import { timeClassSwitch } from '../perf/heatmap-timing';
import { MEASURES, record } from '../perf/user-timing';
import type { ExplainResult } from '../worker/protocol';
import { modelLayers, modelSpec } from './model';
import type { AnalysisState } from './photo';
import { errorMessage, IDLE_RUN, withProgress, type Run } from './run';
import type { Slice, Store } from './store';
import { generation } from './work';

export interface ExplanationState {
  seq: number;
  photoId: number;
  result: ExplainResult;
  heat: Heat;
}

/** What the worker is asked to explain, with every choice resolved. */
export interface Question {
  classIndex: number;
  method: string;
  counterfactual: boolean;
  layer: string;
  /** Score-CAM's channels to score (0 = all). */
  maxChannels: number | undefined;
}

export interface ExplanationSlice {
  classIndex: number | null;
  method: string;
  /** As chosen; methods without class gradients ignore it (see `askedCounterfactual`). */
  counterfactual: boolean;
  /** As chosen; null = the network's default layer (see `askedLayer`). */
  layer: string | null;
  /** Score-CAM's channel count as chosen (0 = all; see `shownChannels`). */
  scoreChannels: number;
  explanation: ExplanationState | null;
  explainRun: Run;
  /** Bumped by "Run again". */
  retry: number;
  setClassIndex(index: number): void;
  setMethod(id: string): void;
  setCounterfactual(on: boolean): void;
  setLayer(name: string): void;
  setScoreChannels(n: number): void;
  /** Computes the map for `q` on `analysis` (the pipeline asks whenever the question changes). */
  explain(analysis: AnalysisState, q: Question): void;
  cancelExplain(): void;
  rerunExplain(): void;
  /** Changes with every explanation asked, cancelled or cleared: older answers are stale. */
  explainSeq(): number;
  forgetExplanation(): void;
  resetQuestion(): void;
}

const INITIAL = {
  classIndex: null,
  method: DEFAULT_METHOD,
  counterfactual: false,
  layer: null,
  scoreChannels: DEFAULT_SCORE_CHANNELS,
};

/** The explanation of the photo on screen, if any. */
export const shownExplanation = (s: Store): ExplanationState | null =>
  s.explanation && s.photo && s.explanation.photoId === s.photo.id ? s.explanation : null;

export const methodMeta = (s: Store): CamMethod =>
  CAM_METHODS.find((m) => m.id === s.method) ?? CAM_METHODS[0];

/** The layer the map is computed at. */
export const askedLayer = (s: Store): string => s.layer ?? modelSpec(s).defaultLayer;

/** Counterfactual, where the method can negate its gradients. */
export const askedCounterfactual = (s: Store): boolean =>
  s.counterfactual && methodMeta(s).supportsCounterfactual;

/** The channels of the map's layer (unknown until the network is loaded). */
export const layerChannels = (s: Store): number | undefined =>
  modelLayers(s).find((l) => l.name === askedLayer(s))?.channels;

/** Score-CAM's channel count, within the layer's channels. */
export const shownChannels = (s: Store): number =>
  effectiveChannels(s.scoreChannels, layerChannels(s));

/** The channel count sent to the worker, for a method that has that option. */
export const askedChannels = (s: Store): number | undefined =>
  channelCountOption(s.method) ? shownChannels(s) : undefined;

function heatOf(o: ExplainResult['output']): Heat {
  return o.kind === 'layer'
    ? { kind: 'layer', width: o.width, height: o.height, values: o.values }
    : { kind: 'saliency', width: o.width, height: o.height, rgb: o.rgb, magnitude: o.magnitude };
}

export const createExplanationSlice: Slice<ExplanationSlice> = (set, get) => {
  let seq = 0;
  const run = (explainRun: Run) => set({ explainRun });

  return {
    ...INITIAL,
    explanation: null,
    explainRun: IDLE_RUN,
    retry: 0,

    setClassIndex(index) {
      const { classIndex, photo } = get();
      if (index === classIndex || !photo) return;
      timeClassSwitch(photo.id, index);
      set({ classIndex: index });
    },
    setMethod: (method) => set({ method }),
    setCounterfactual: (counterfactual) => set({ counterfactual }),
    setLayer: (layer) => set({ layer }),
    setScoreChannels: (scoreChannels) => set({ scoreChannels }),

    explain(analysis, q) {
      const asked = ++seq;
      const c = engine();
      c.cancelAll(); // a long method or a measurement still running for the previous question stops
      get().forgetChecks();
      run({ ...IDLE_RUN, running: true });
      c.api
        .explain(
          { gen: analysis.gen, epoch: c.epoch(), ...q },
          Comlink.proxy((f: number) => {
            if (asked === seq) set((s) => ({ explainRun: withProgress(s.explainRun, f) }));
          }),
        )
        .then((result) => {
          if (asked !== seq || result.gen !== generation()) return;
          record(MEASURES.workerExplain, result.ms, { method: result.method });
          set({
            explanation: {
              seq: asked,
              photoId: analysis.photoId,
              result,
              heat: heatOf(result.output),
            },
            explainRun: IDLE_RUN,
          });
        })
        .catch((e) => {
          if (asked !== seq) return;
          if (isCancel(e)) run({ ...IDLE_RUN, cancelled: true });
          else run({ ...IDLE_RUN, error: errorMessage(e) });
        });
    },

    cancelExplain() {
      seq++;
      engine().cancelAll();
      run({ ...IDLE_RUN, cancelled: true });
    },

    rerunExplain: () => set((s) => ({ retry: s.retry + 1 })),

    explainSeq: () => seq,

    forgetExplanation() {
      seq++;
      set({ explanation: null, explainRun: IDLE_RUN });
    },

    resetQuestion: () => set(INITIAL),
  };
};
