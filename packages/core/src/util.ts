// Small isomorphic helpers: core compiles without DOM or Node types, so the few platform
// globals it uses are typed here structurally.

/** The part of AbortSignal that core uses (browser and Node signals both fit). */
export interface AbortSignalLike {
  readonly aborted: boolean;
}

/** Milliseconds from a monotonic clock where available. */
export function now(): number {
  const p = (globalThis as { performance?: { now(): number } }).performance;
  return p ? p.now() : Date.now();
}

export class CancelledError extends Error {
  constructor() {
    super('Cancelled');
    this.name = 'CancelledError';
  }
}

export function throwIfAborted(signal?: AbortSignalLike): void {
  if (signal?.aborted) throw new CancelledError();
}
