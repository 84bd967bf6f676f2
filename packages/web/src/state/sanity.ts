// "Sanity check": the cascading randomisation test (Adebayo et al. 2018) of the photo on screen,
// run in the worker (core `sanityCheck`), which restores the network's trained weights before it
// answers, cancelled or not. The result is kept until the photo changes.
import * as Comlink from 'comlink';
import { SANITY_METHODS } from '@gradcam-explorer/core/pure';
import { engine, isCancel } from '../engine/engine-client';
import type { SanityDto, SanityStage } from '../worker/compare-protocol';
import { askedChannels, askedLayer } from './explanation';
import { specOf } from './model';
import { errorMessage, IDLE_RUN, type Run } from './run';
import type { Slice, Store } from './store';
import { generation } from './work';

export interface SanityState {
  photoId: number;
  modelId: string;
  networkName: string;
  result: SanityDto;
}

export interface SanityRun extends Run {
  stage: SanityStage | null;
}

export interface SanitySlice {
  sanity: SanityState | null;
  sanityRun: SanityRun;
  /** The methods the next run compares. */
  sanityMethods: string[];
  setSanityMethods(ids: string[]): void;
  runSanity(): Promise<void>;
  cancelSanity(): void;
}

const IDLE: SanityRun = { ...IDLE_RUN, stage: null };

/** The result for the photo on screen, if any. */
export const shownSanity = (s: Store): SanityState | null =>
  s.sanity && s.photo && s.sanity.photoId === s.photo.id ? s.sanity : null;

export const createSanitySlice: Slice<SanitySlice> = (set, get) => {
  let seq = 0;
  return {
    sanity: null,
    sanityRun: IDLE,
    sanityMethods: [...SANITY_METHODS],
    setSanityMethods: (sanityMethods) => set({ sanityMethods }),

    async runSanity() {
      const s = get();
      const a = s.analysis;
      if (!s.photo || !a || a.photoId !== s.photo.id || s.classIndex === null) return;
      if (s.sanityMethods.length === 0) return;
      const asked = ++seq;
      const photoId = s.photo.id;
      const c = engine();
      set({ sanityRun: { ...IDLE, running: true, progress: 0 } });
      try {
        const result = await c.api.sanity(
          {
            gen: a.gen,
            epoch: c.epoch(),
            classIndex: s.classIndex,
            methods: s.sanityMethods,
            layer: askedLayer(s),
            maxChannels: askedChannels(s),
          },
          Comlink.proxy((f: number, stage: SanityStage) => {
            if (asked === seq) set({ sanityRun: { ...IDLE, running: true, progress: f, stage } });
          }),
        );
        if (asked !== seq || result.gen !== generation()) return;
        set({
          sanity: { photoId, modelId: a.modelId, networkName: specOf(a.modelId).name, result },
          sanityRun: IDLE,
        });
      } catch (e) {
        if (asked !== seq) return;
        set({
          sanityRun: isCancel(e)
            ? { ...IDLE, cancelled: true }
            : { ...IDLE, error: errorMessage(e) },
        });
      }
    },

    cancelSanity() {
      seq++;
      engine().cancelAll();
      set({ sanityRun: { ...IDLE, cancelled: true } });
    },
  };
};
