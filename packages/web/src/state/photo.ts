// The photo and what the network predicts for it: a dropped, pasted or picked file is checked and
// decoded here (a weights file loads the weights instead), and classified once a network is ready.
import { engine, isCancel } from '../engine/engine-client';
import { timeDropToHeatmap } from '../perf/heatmap-timing';
import { mark, MEASURES, record } from '../perf/user-timing';
import { decodeImage, fitWithin, isModelFile, pixelsAt, readHeader } from '../photo/image-input';
import type { RgbaImage } from '@gradcam-explorer/core/pure';
import type { PredictionDto } from '../worker/protocol';
import { errorMessage } from './run';
import type { Slice } from './store';
import { generation, newGeneration } from './work';

/** Long side of the overlay's backing store in CSS pixels (times devicePixelRatio, at most 2). */
export const DISPLAY_SIZE = 480;
/** Predictions fetched per photo (the slider's maximum). */
export const MAX_K = 10;
const DEFAULT_K = 3;

export interface Photo {
  id: number;
  name: string;
  /** Object URL of the original file, for the untouched <img>. */
  url: string;
  width: number;
  height: number;
  type: string;
  file: File;
  /** Pixels at display resolution, the overlay's base (the worker decodes `file` itself). */
  base: RgbaImage;
}

export interface AnalysisState {
  gen: number;
  photoId: number;
  /** The network that classified the photo (explanations must use its layers). */
  modelId: string;
  predictions: PredictionDto[];
  ms: number;
}

export interface PhotoSlice {
  photo: Photo | null;
  /** A file is being read. */
  photoBusy: boolean;
  imageError: string | null;
  analysis: AnalysisState | null;
  predictError: string | null;
  /** Predictions listed. */
  k: number;
  setK(k: number): void;
  /** A file from the picker, a drop or a paste: a photo, or a model or weights file. */
  openFile(file: File): Promise<void>;
  /** One forward pass of `photo` on the loaded network `modelId`; the top class gets explained. */
  classify(photo: Photo, modelId: string): void;
  forgetAnalysis(): void;
  resetPhoto(): void;
}

export const createPhotoSlice: Slice<PhotoSlice> = (set, get) => {
  let photoSeq = 0;
  const revokeOld = () => {
    const old = get().photo;
    if (old) URL.revokeObjectURL(old.url);
  };

  return {
    photo: null,
    photoBusy: false,
    imageError: null,
    analysis: null,
    predictError: null,
    k: DEFAULT_K,

    setK: (k) => set({ k }),

    async openFile(file) {
      if (isModelFile(file.name)) {
        // A model (or an ImageNet weights file: the worker tells them apart by content).
        void get().openModelFiles([file]);
        return;
      }
      const start = mark('gc:drop');
      const id = ++photoSeq;
      set({ imageError: null, photoBusy: true });
      try {
        const header = await readHeader(file);
        const full = await decodeImage(file);
        if (id !== photoSeq) {
          full.close();
          return;
        }
        const dpr = Math.min(2, Math.max(1, window.devicePixelRatio || 1));
        // Display resolution: the overlay's box, small photos enlarged to fill it.
        const [dw, dh] = fitWithin(
          full.width,
          full.height,
          DISPLAY_SIZE * dpr,
          DISPLAY_SIZE * dpr,
          true,
        );
        const base = await pixelsAt(full, dw, dh);
        const width = full.width;
        const height = full.height;
        full.close();
        if (id !== photoSeq) return;
        // Only a good photo replaces the current one (a bad file leaves the page as it was).
        get().clearWork();
        revokeOld();
        timeDropToHeatmap(id, start);
        set({
          photo: {
            id,
            name: file.name,
            url: URL.createObjectURL(file),
            width,
            height,
            type: header.type,
            file,
            base,
          },
        });
      } catch (e) {
        if (id === photoSeq) set({ imageError: errorMessage(e) });
      } finally {
        if (id === photoSeq) set({ photoBusy: false });
      }
    },

    classify(photo, modelId) {
      const gen = newGeneration();
      const c = engine();
      c.api
        .analyze({ gen, epoch: c.epoch(), image: photo.file, k: MAX_K })
        .then((res) => {
          if (gen !== generation()) return;
          record(MEASURES.workerAnalyze, res.ms);
          set({
            analysis: { gen, photoId: photo.id, modelId, predictions: res.predictions, ms: res.ms },
            // The top class is explained first.
            classIndex: res.predictions[0].index,
          });
        })
        .catch((e) => {
          if (gen !== generation() || isCancel(e)) return;
          set({ predictError: errorMessage(e) });
        });
    },

    forgetAnalysis: () => set({ analysis: null, predictError: null }),

    resetPhoto() {
      photoSeq++;
      get().clearWork();
      revokeOld();
      set({ photo: null, photoBusy: false, imageError: null, k: DEFAULT_K });
    },
  };
};
