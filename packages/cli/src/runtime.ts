import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { availableParallelism } from 'node:os';
import { readFile } from 'node:fs/promises';
import {
  Explainer,
  getModelSpec,
  initBackend,
  loadModelWeights,
  type ModelSpec,
} from '@gradcam-explorer/core';
import { interruptSignal } from './interrupt.js';
import { resolveWeights } from './weights-store/index.js';
import { MAX_WASM_THREADS, registerThreadedWasmBackend } from './wasm-threads.js';
import { Reporter } from './reporter.js';

const require = createRequire(import.meta.url);

/**
 * XNNPACK threads: `GRADCAM_THREADS`, else one per core (at most 8). tfjs-backend-wasm runs
 * single-threaded in Node; `registerThreadedWasmBackend` swaps in its threaded build.
 */
export function threadCount(env: NodeJS.ProcessEnv = process.env): number {
  const fromEnv = Number(env.GRADCAM_THREADS);
  if (env.GRADCAM_THREADS !== undefined && Number.isInteger(fromEnv) && fromEnv >= 1)
    return Math.min(fromEnv, MAX_WASM_THREADS);
  return Math.min(availableParallelism(), MAX_WASM_THREADS);
}

let threadsTried = false;

/**
 * Node runs TensorFlow.js on the wasm backend (tfjs-node cannot be installed here), on `threads`
 * threads when it can: when it cannot (e.g. a tfjs update that the threaded build no longer fits),
 * `reporter` gets one warning saying so, rather than every run silently becoming slower.
 */
export async function initNodeBackend(
  threads = threadCount(),
  reporter: Pick<Reporter, 'warn'> = new Reporter(),
): Promise<string> {
  if (!threadsTried) {
    threadsTried = true;
    if (threads > 1) {
      await registerThreadedWasmBackend(threads, {
        onFallback: (reason) =>
          reporter.warn(
            `TensorFlow.js runs on 1 thread instead of ${threads} (${reason}); ` +
              'set GRADCAM_THREADS=1 to stop trying.',
          ),
      });
    }
  }
  const wasmDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + '/';
  return initBackend({ prefer: ['wasm', 'cpu'], wasmPaths: wasmDir });
}

/** Finds (or downloads, with a progress bar) the weights and builds the network. */
export async function loadExplainer(
  modelId: string,
  opts: { weights?: string; reporter: Reporter; download?: boolean; redownload?: boolean },
): Promise<Explainer> {
  const spec: ModelSpec = getModelSpec(modelId);
  const { reporter } = opts;
  await initNodeBackend(threadCount(), reporter);
  let started = false;
  let lastDraw = 0;
  const resolved = await resolveWeights(spec.weights, {
    file: opts.weights,
    download: opts.download ?? true,
    redownload: opts.redownload,
    signal: interruptSignal,
    onWarning: (m) => reporter.warn(m),
    onProgress: (p) => {
      const mb = (b: number) => Math.round(b / 1e5) / 10;
      if (!started) {
        reporter.start(`Downloading ${spec.weights.fileName}`, mb(p.totalBytes), 'MB');
        started = true;
      }
      const now = Date.now();
      if (now - lastDraw > 100 || p.receivedBytes === p.totalBytes) {
        reporter.update(mb(p.receivedBytes), mb(p.totalBytes));
        lastDraw = now;
      }
    },
  });
  if (started) reporter.stop();
  reporter.info(`Loading ${spec.name} weights from ${resolved.path} (${resolved.source})`);
  const bytes = await readFile(resolved.path);
  try {
    const model = await loadModelWeights(
      spec,
      new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      resolved.path,
    );
    return new Explainer(spec, model);
  } catch (e) {
    if (resolved.source !== 'cache' && resolved.source !== 'download') throw e;
    // A damaged cached copy must not block every later run: say how to replace it.
    throw new Error(
      `${e instanceof Error ? e.message : String(e)}\nThe cached copy is unusable: run again ` +
        `with --redownload to download ${spec.weights.fileName} again (it replaces the cached ` +
        `file only once the new one is complete and checked), or delete ${resolved.path}.`,
      { cause: e },
    );
  }
}
