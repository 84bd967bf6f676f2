// A job in the engine that the page shows while it runs: an explanation or a measurement.

export interface Run {
  running: boolean;
  /** 0 to 1, when the job reports it. */
  progress: number | null;
  error: string | null;
  cancelled: boolean;
}

/** Nothing running, nothing to report. */
export const IDLE_RUN: Readonly<Run> = Object.freeze({
  running: false,
  progress: null,
  error: null,
  cancelled: false,
});

/** `run` with progress `f`, unless it has stopped meanwhile. */
export const withProgress = (run: Run, f: number): Run =>
  run.running ? { ...run, progress: f } : run;

/** The text of a failure. */
export const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e));
