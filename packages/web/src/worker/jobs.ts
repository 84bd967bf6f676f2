// The worker's job plumbing: one job at a time, cancellation by a shared epoch that the page bumps
// (no message has to reach a busy worker), errors the page can tell apart by name, throttled progress.

/** Errors with a `name` the page can switch on (comlink keeps name and message). */
export function namedError(name: string, message: string): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}

let epochView: Int32Array | null = null;
let localEpoch = 0;
const currentEpoch = () => (epochView ? Atomics.load(epochView, 0) : localEpoch);

/** The page's shared epoch (one Int32), when cross-origin isolation allows a SharedArrayBuffer. */
export function shareEpoch(buffer: SharedArrayBuffer): void {
  epochView = new Int32Array(buffer);
}

/** Without a shared epoch: the page's `cancel` message sets it. */
export function setLocalEpoch(epoch: number): void {
  localEpoch = epoch;
}

/** Core's AbortSignalLike: aborted as soon as the epoch moves past the job's. */
export const signalFor = (epoch: number) => ({
  get aborted() {
    return currentEpoch() !== epoch;
  },
});

export function checkEpoch(epoch: number): void {
  if (currentEpoch() !== epoch) throw namedError('CancelledError', 'Cancelled');
}

let tail: Promise<unknown> = Promise.resolve();
/** Runs `job` after every job queued before it, whether they succeeded or not. */
export function serial<T>(job: () => Promise<T>): Promise<T> {
  const run = tail.then(job, job);
  tail = run.catch(() => undefined);
  return run;
}

/** Forwards progress at most ~50 times per job. */
export function throttled(onProgress?: (f: number) => void): ((f: number) => void) | undefined {
  if (!onProgress) return undefined;
  let last = -1;
  return (f: number) => {
    if (f - last >= 0.02 || f >= 1) {
      last = f;
      void onProgress(f);
    }
  };
}
