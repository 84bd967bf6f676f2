import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

export interface BackendOptions {
  /** Backends to try, best first. Web adds webgpu/webgl after importing them. */
  prefer?: BackendName[];
  /** Where the tfjs-backend-wasm `.wasm` binaries are (folder path or URL ending in '/'). */
  wasmPaths?: string | Record<string, string>;
  /** XNNPACK threads for the threaded wasm build (browsers with cross-origin isolation). */
  threads?: number;
}

let wasmConfigured = false;

/**
 * Selects the first backend in `prefer` that initialises; returns its name.
 * Safe to call again: an already active backend is kept.
 */
export async function initBackend(options: BackendOptions = {}): Promise<BackendName> {
  const prefer = options.prefer ?? ['wasm', 'cpu'];
  if (!wasmConfigured && options.wasmPaths !== undefined) {
    setWasmPaths(options.wasmPaths as string);
    if (options.threads !== undefined) setThreadsCount(options.threads);
    wasmConfigured = true;
  }
  const current = tf.getBackend() as BackendName | undefined;
  if (current && current === prefer[0]) return current;
  for (const name of prefer) {
    try {
      if (await tf.setBackend(name)) {
        await tf.ready();
        return name;
      }
    } catch {
      // try the next one
    }
  }
  throw new Error(`No TensorFlow.js backend could be initialised (tried ${prefer.join(', ')})`);
}
