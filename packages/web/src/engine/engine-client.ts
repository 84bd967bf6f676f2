// The page's handle on the engine worker: typed RPC (comlink), cancellation, and a message counter
// that tests read to prove that display-only changes never reach the worker.
import * as Comlink from 'comlink';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { BackendChoice, BackendInfo, EngineApi } from '../worker/protocol';

/** Absolute URLs of the bundled wasm binaries (the worker resolves nothing relative to itself). */
const WASM_URLS: Record<string, string> = {
  'tfjs-backend-wasm.wasm': new URL(wasmPlain, location.href).href,
  'tfjs-backend-wasm-simd.wasm': new URL(wasmSimd, location.href).href,
  'tfjs-backend-wasm-threaded-simd.wasm': new URL(wasmThreaded, location.href).href,
};

export class EngineClient {
  readonly api: Comlink.Remote<EngineApi>;
  private readonly worker: Worker;
  /** Messages posted to the worker (RPC calls) since start. */
  sent = 0;
  /** Why the worker stopped, once it has. */
  crashed: string | null = null;
  onCrash?: (message: string) => void;
  private readonly epochView: Int32Array | null;
  private epochFallback = 0;
  private readonly sab: SharedArrayBuffer | undefined;

  constructor() {
    this.worker = new Worker(new URL('../worker/engine.worker.ts', import.meta.url), {
      type: 'module',
      name: 'gradcam-engine',
    });
    const post = this.worker.postMessage.bind(this.worker) as (
      message: unknown,
      transfer?: Transferable[] | StructuredSerializeOptions,
    ) => void;
    this.worker.postMessage = ((message: unknown, transfer?: Transferable[]) => {
      this.sent++;
      post(message, transfer);
    }) as Worker['postMessage'];
    this.api = Comlink.wrap<EngineApi>(this.worker);
    // A worker that dies (out of memory, a failed script load) answers nothing more: say so.
    this.worker.addEventListener('error', (e) => {
      e.preventDefault();
      this.crashed = e.message || 'the engine worker stopped';
      this.onCrash?.(this.crashed);
    });
    // Cross-origin isolated pages share the cancel flag; others send a cancel message instead.
    this.sab = globalThis.crossOriginIsolated ? new SharedArrayBuffer(4) : undefined;
    this.epochView = this.sab ? new Int32Array(this.sab) : null;
  }

  init(backend: BackendChoice, threads?: number): Promise<BackendInfo> {
    return this.api.init({ wasmUrls: WASM_URLS, backend, threads, cancelEpoch: this.sab });
  }

  /** The epoch to stamp on a new job. */
  epoch(): number {
    return this.epochView ? Atomics.load(this.epochView, 0) : this.epochFallback;
  }

  /** Cancels every job started so far (running Score-CAM stops at its next batch). */
  cancelAll(): void {
    if (this.epochView) Atomics.add(this.epochView, 0, 1);
    else void this.api.cancel(++this.epochFallback);
  }
}

let shared: EngineClient | null = null;

/** The page's one engine worker, started on first use (React's dev double mount must not start two). */
export function engine(): EngineClient {
  shared ??= new EngineClient();
  return shared;
}

export const isCancel = (e: unknown): boolean =>
  e instanceof Error && (e.name === 'CancelledError' || e.name === 'StaleError');
