// A small read-only window into the app for the end-to-end tests and the benchmark: the worker
// message count (display changes must not add to it) and the map currently drawn.
import type { BackendInfo, PredictionDto } from '../worker/protocol';

export interface TestHooks {
  /** RPC messages posted to the worker since the page loaded. */
  workerMessages(): number;
  /** Heatmap compositions drawn on the overlay canvas. */
  composeCount: number;
  /** The layer-resolution map drawn last (row-major, top row first). */
  lastMap: { width: number; height: number; values: number[] } | null;
  /** What the drawn map explains. */
  explained: {
    method: string;
    layer: string;
    counterfactual: boolean;
    classIndex: number;
    /** Score-CAM: channels scored. */
    channels?: number;
  } | null;
  backend: BackendInfo | null;
  /** The top classes of the photo last classified (full precision, for parity with the CLI). */
  predictions: PredictionDto[] | null;
  /** True while the selected network is loaded and idle. */
  modelReady: boolean;
}

declare global {
  interface Window {
    __gradcamTest?: TestHooks;
  }
}

export const testHooks: TestHooks = {
  workerMessages: () => 0,
  composeCount: 0,
  lastMap: null,
  explained: null,
  backend: null,
  predictions: null,
  modelReady: false,
};

if (typeof window !== 'undefined') window.__gradcamTest = testHooks;
