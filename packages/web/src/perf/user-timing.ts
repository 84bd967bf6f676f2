// User Timing marks and measures (performance.mark / measure), so the benchmark reads the app's
// own numbers: drop-to-heatmap, class switch, display change, model load.

export const MEASURES = {
  dropToHeatmap: 'gc:drop-to-heatmap',
  classSwitch: 'gc:class-switch',
  displayChange: 'gc:display-change',
  compose: 'gc:compose',
  modelLoad: 'gc:model-load',
  weightsFetch: 'gc:weights-fetch',
  /** Time spent inside the worker, as it reports it. */
  workerAnalyze: 'gc:worker-analyze',
  workerExplain: 'gc:worker-explain',
  workerMeasure: 'gc:worker-measure',
} as const;

let counter = 0;

/** A unique mark name (measures may overlap). */
export function mark(prefix: string): string {
  const name = `${prefix}#${++counter}`;
  performance.mark(name);
  return name;
}

/** Measure from `startMark` to now; returns the duration in ms. */
export function measure(name: string, startMark: string, detail?: unknown): number {
  try {
    return performance.measure(name, { start: startMark, detail }).duration;
  } catch {
    return NaN; // the start mark was cleared
  }
}

/** Records a duration measured elsewhere (the worker) as a measure ending now. */
export function record(name: string, ms: number, detail?: unknown): void {
  const end = performance.now();
  try {
    performance.measure(name, { start: Math.max(0, end - ms), end, detail });
  } catch {
    // older engines without measure options: the number is still shown in the UI
  }
}
