// window.__gradcamTest: a read-only view of the page for the end-to-end tests and the benchmark
// (the worker message count, the map drawn last, the predictions, the backend). main.tsx installs
// it (install-test-hooks.ts) only when the test harness asked for it before the page loaded, by
// setting window.__GRADCAM_TEST_HOOKS__ (e2e/harness.ts). Types only: e2e code imports this file.
import type { BackendInfo, PredictionDto } from '../worker/protocol';

export interface TestHooks {
  /** RPC messages posted to the worker since the page loaded. */
  workerMessages(): number;
  /** Heatmap compositions drawn on the overlay canvas. */
  composeCount: number;
  /** The layer-resolution map drawn last (row-major, top row first); null once work is cleared. */
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
    /** Set by the test harness before the page loads: install window.__gradcamTest. */
    __GRADCAM_TEST_HOOKS__?: boolean;
  }
}
