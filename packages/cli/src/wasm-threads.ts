/**
 * Multi-threaded TensorFlow.js wasm backend for Node.
 *
 * `@tensorflow/tfjs-backend-wasm` ships a threaded SIMD build (Emscripten pthreads + XNNPACK's
 * pthreadpool), but never uses it in Node: its `WASM_HAS_MULTITHREAD_SUPPORT` flag is hard-coded
 * to false there. This module loads that build itself, its pthreads running on `worker_threads`,
 * and swaps it in as the 'wasm' backend. The kernels registered for 'wasm' are reused as they are:
 * the engine re-runs their setup against the new backend instance when it is activated. Results
 * are the same as the single-threaded backend's (bit-identical for conv2d and matMul in the tests).
 *
 * Why the thread count needs help (tfjs 4.22, `tfjs-backend-wasm/src/cc/backend.cc`): a static
 * initialiser computes `num_cores = emscripten_num_logical_cores() / 2`, and
 * `init_with_threads_count(n)` creates a pthreadpool of `min(max(n, 1), 8, num_cores)` threads
 * (n < 0, the default, means `num_cores`). So `setThreadsCount(n)` can only lower the default of
 * half the logical cores, never raise it: with 2 or 3 logical cores every request gives 1 thread
 * (in browsers too: `navigator.hardwareConcurrency` 2 → single-threaded whatever is asked). In
 * Node, `emscripten_num_logical_cores` is `os.cpus().length`; instead of patching `os`, this module
 * replaces just that wasm import (through Emscripten's `instantiateWasm` hook) so that the cap
 * equals the requested count. The pool then has exactly that many threads: the calling thread plus
 * `threads - 1` workers.
 *
 * Usage (before any model or tensor lives on the 'wasm' backend, which a swap would invalidate):
 *
 *     const threaded = await registerThreadedWasmBackend(os.availableParallelism());
 *     await initNodeBackend(); // picks 'wasm' as usual: the threaded one when `threaded` is true
 *
 * More threads than idle cores makes things slower, not faster: pthreadpool splits each op into
 * even parts and waits for the slowest thread (on 2 shared cores with another busy process, a 2-way
 * conv2d took ~1.6x the single-threaded time).
 *
 * When threads are unavailable the function returns false and the stock single-threaded 'wasm'
 * backend stays registered (and active, if it was). Side effects of the Emscripten glue, as with
 * the stock backend: it sets `globalThis.Worker` and, until the backend is disposed, adds
 * `uncaughtException`/`unhandledRejection` listeners that rethrow. Idle pool threads do not keep
 * the process alive. The pthread worker script is written to a private temporary folder, removed
 * as soon as the workers have started.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { Worker as NodeWorker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { BackendWasm, getThreadsCount, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';

const require = createRequire(import.meta.url);

/** XNNPACK's cap in backend.cc; also the number of workers the glue pre-allocates. */
export const MAX_WASM_THREADS = 8;

const BACKEND = 'wasm';
const BUILD = 'tfjs-backend-wasm-threaded-simd';
const LOAD_TIMEOUT_MS = 30_000;

export interface ThreadedWasmOptions {
  /** Told why, whenever the requested thread count could not be applied. */
  onFallback?: (reason: string) => void;
}

/** The parts of the Emscripten pthread runtime this module touches. */
interface PThreadRuntime {
  unusedWorkers: NodeWorker[];
  runningWorkers: NodeWorker[];
  terminateAllThreads(): void;
}

type WasmModule = ConstructorParameters<typeof BackendWasm>[0];

interface ThreadedModule {
  PThread: PThreadRuntime;
  cwrap(name: string, returnType: string | null, argTypes: string[]): (...args: number[]) => number;
}

/** What `instantiateWasm` receives from the glue: the import object and a completion callback. */
type WasmImports = Record<string, Record<string, unknown>>;
type ReceiveInstance = (instance: object, module: object) => void;

/** The WebAssembly API used here (the project's `lib` has no DOM, hence no WebAssembly types). */
interface WebAssemblyApi {
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => {
    buffer: ArrayBufferLike;
  };
  compile(bytes: Uint8Array): Promise<object>;
  instantiate(module: object, imports: WasmImports): Promise<object>;
}
const wasmApi = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

interface FactoryConfig {
  locateFile(path: string): string;
  mainScriptUrlOrBlob: string;
  instantiateWasm(imports: WasmImports, receive: ReceiveInstance): object;
  onAbort(reason: unknown): void;
  printErr(text: string): void;
  PThread?: PThreadRuntime;
}

type Factory = (config: FactoryConfig) => Promise<ThreadedModule>;

interface StockRegistration {
  factory: () => tf.KernelBackend | Promise<tf.KernelBackend>;
  priority: number;
}

/** The stock 'wasm' registration, kept so it can be put back. */
let stock: StockRegistration | undefined;
/** The threaded backend registered as 'wasm' by this module, if any. */
let current: { backend: BackendWasm; factory: () => BackendWasm; threads: number } | undefined;
let workerDir: string | undefined;
let exitHookInstalled = false;
let queue: Promise<unknown> = Promise.resolve();

/** Runs calls one after the other: registration and restore both rewire the engine. */
function serialized<T>(fn: () => Promise<T>): Promise<T> {
  const run = queue.then(fn, fn);
  queue = run.catch(() => undefined);
  return run;
}

function wasmOutDir(): string {
  return join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'wasm-out');
}

/**
 * The pthread worker script. tfjs exports it as a string (it normally becomes a Blob URL); Node's
 * Worker needs a CommonJS file, written into a private temporary folder. Workers read it when they
 * start, so it is removed once the pool is up (and written again if a worker is ever added).
 */
function workerScriptPath(outDir: string): string {
  if (workerDir === undefined) {
    const { wasmWorkerContents } = require(join(outDir, `${BUILD}.worker.js`)) as {
      wasmWorkerContents: string;
    };
    const dir = mkdtempSync(join(tmpdir(), 'tfjs-wasm-threads-'));
    // As tfjs does: keep "\n" escapes inside the script's strings from becoming newlines.
    writeFileSync(join(dir, 'worker.cjs'), wasmWorkerContents.replace(/\n/g, '\\n'));
    workerDir = dir;
    if (!exitHookInstalled) process.once('exit', removeWorkerDir);
    exitHookInstalled = true;
  }
  return join(workerDir, 'worker.cjs');
}

function removeWorkerDir(): void {
  if (workerDir !== undefined) rmSync(workerDir, { recursive: true, force: true });
  workerDir = undefined;
}

function sharedMemorySupported(): boolean {
  try {
    const memory = new wasmApi.Memory({ initial: 1, maximum: 1, shared: true });
    return memory.buffer instanceof SharedArrayBuffer;
  } catch {
    return false;
  }
}

/** Instantiates the threaded build with its pthread workers loaded; rejects on failure or timeout. */
async function loadThreadedModule(threads: number): Promise<ThreadedModule> {
  const outDir = wasmOutDir();
  const mainScript = join(outDir, `${BUILD}.js`);
  const factory = require(mainScript) as Factory;
  const binary = readFileSync(join(outDir, `${BUILD}.wasm`));
  const glueErrors: string[] = [];
  let loading = true;

  let fail: (reason: unknown) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => (fail = reject));
  const config: FactoryConfig = {
    locateFile: (path) =>
      path.endsWith('.worker.js') ? workerScriptPath(outDir) : join(outDir, path),
    // What each worker evaluates to get the module factory.
    mainScriptUrlOrBlob: mainScript,
    instantiateWasm(imports, receive) {
      const env = imports['env'];
      // backend.cc caps the pool at half of this; see the comment at the top of the file.
      if (env && typeof env['emscripten_num_logical_cores'] === 'function') {
        env['emscripten_num_logical_cores'] = () => 2 * threads;
      }
      wasmApi
        .compile(binary)
        .then((module) =>
          wasmApi.instantiate(module, imports).then((instance) => receive(instance, module)),
        )
        .catch(fail);
      return {}; // exports arrive later, through `receive`
    },
    onAbort: (reason) => fail(new Error(`wasm aborted: ${String(reason)}`)),
    // Collected into the error while loading; afterwards, as Emscripten would print them.
    printErr: (text) => void (loading ? glueErrors.push(text) : console.warn(text)),
  };

  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`threaded wasm did not load in ${LOAD_TIMEOUT_MS / 1000} s`)),
      LOAD_TIMEOUT_MS,
    );
  });
  try {
    // The factory resolves once the wasm is instantiated and every pre-allocated worker has loaded.
    return await Promise.race([factory(config), failed, timeout]);
  } catch (e) {
    config.PThread?.terminateAllThreads();
    removeWorkerDir();
    const detail = glueErrors.length > 0 ? ` (${glueErrors.join('; ')})` : '';
    throw new Error(`${e instanceof Error ? e.message : String(e)}${detail}`);
  } finally {
    clearTimeout(timer);
    loading = false;
  }
}

/** Adds the `tfjs` C bindings that BackendWasm expects, as tfjs's own loader does. */
function asBackendModule(module: ThreadedModule): WasmModule {
  const c = module.cwrap.bind(module);
  Object.assign(module, {
    tfjs: {
      init: c('init', null, []),
      initWithThreadsCount: c('init_with_threads_count', null, ['number']),
      getThreadsCount: c('get_threads_count', 'number', []),
      registerTensor: c('register_tensor', null, ['number', 'number', 'number']),
      disposeData: c('dispose_data', null, ['number']),
      dispose: c('dispose', null, []),
    },
  });
  return module as unknown as WasmModule;
}

/**
 * Builds a BackendWasm on the threaded build; its constructor creates the thread pool. Returns the
 * backend with the pool's actual size, or throws (having shut the workers down).
 */
async function createThreadedBackend(threads: number): Promise<BackendWasm> {
  const module = await loadThreadedModule(threads);
  const { PThread } = module;
  try {
    setThreadsCount(threads);
    const backend = new BackendWasm(asBackendModule(module));
    const actual = getThreadsCount();
    // pthreadpool counts the calling thread; the others must each have a running worker.
    if (actual < 2 || PThread.runningWorkers.length < actual - 1) {
      backend.dispose(); // also terminates the workers
      throw new Error(
        `thread pool has ${actual} thread(s) and ${PThread.runningWorkers.length} worker(s)`,
      );
    }
    // The pool never grows: drop the spare pre-allocated workers (~10 MB each), and let the pool's
    // workers (blocked waiting for work) not keep the process alive.
    for (const worker of PThread.unusedWorkers.splice(0)) void worker.terminate();
    for (const worker of PThread.runningWorkers) worker.unref();
    return backend;
  } catch (e) {
    PThread.terminateAllThreads();
    throw e;
  } finally {
    removeWorkerDir();
  }
}

/** Registers `factory` as 'wasm' (replacing the current one) and re-activates it if it was active. */
async function swapWasmRegistration(
  factory: StockRegistration['factory'],
  priority: number,
  activate: boolean,
): Promise<boolean> {
  tf.removeBackend(BACKEND); // disposes the old instance if the engine had created it
  tf.registerBackend(BACKEND, factory, priority);
  return activate ? tf.setBackend(BACKEND) : true;
}

/** Disposes a backend the engine did not dispose (it never called the factory, or it failed). */
function disposeIfAlive(backend: BackendWasm): void {
  if ((backend.wasm as unknown) !== null) backend.dispose();
}

/** Whether 'wasm' is the active backend, or would be picked by default as none is active yet. */
function wasmIsActive(): boolean {
  const name = tf.engine().backendName as string | null | undefined;
  return name === BACKEND || name == null; // undefined before any backend, null after a removal
}

/** Whether the 'wasm' registration is still the threaded one this module made. */
function threadedIsRegistered(): boolean {
  return current !== undefined && tf.engine().registryFactory[BACKEND]?.factory === current.factory;
}

async function restore(): Promise<void> {
  const threaded = current;
  current = undefined;
  if (threaded === undefined || stock === undefined) return;
  if (tf.engine().registryFactory[BACKEND]?.factory === threaded.factory) {
    await swapWasmRegistration(stock.factory, stock.priority, tf.engine().backendName === BACKEND);
  }
  disposeIfAlive(threaded.backend);
}

/**
 * Makes the 'wasm' backend run XNNPACK on `threads` threads (the calling thread included; capped at
 * {@link MAX_WASM_THREADS}), using tfjs-backend-wasm's threaded SIMD build on `worker_threads`.
 *
 * Call it before any tensor lives on the 'wasm' backend. If 'wasm' is the active backend, or no
 * backend is active yet, the threaded one is activated; otherwise it is only registered. Calling it
 * again with the same count is a no-op; another count replaces the threaded backend, and a count
 * below 2 puts the stock backend back.
 *
 * @returns whether 'wasm' now runs on more than one thread. When the request cannot be applied
 *   (`onFallback` says why), the 'wasm' backend is left as it was: normally the stock
 *   single-threaded one, or an earlier threaded one that already holds tensors.
 */
export function registerThreadedWasmBackend(
  threads: number,
  options: ThreadedWasmOptions = {},
): Promise<boolean> {
  return serialized(async () => {
    // Whatever could not be applied, the answer is whether threads are in use now.
    const fallback = (reason: string): boolean => {
      options.onFallback?.(reason);
      return threadedIsRegistered();
    };
    const wanted = Math.min(Math.floor(threads), MAX_WASM_THREADS);
    if (threadedIsRegistered() && current?.threads === wanted) return true;
    if (!(wanted >= 2)) {
      await restore();
      return fallback(`${threads} thread(s) requested`);
    }
    if (!sharedMemorySupported()) return fallback('shared WebAssembly memory is not available');

    const registration = tf.engine().registryFactory[BACKEND] as StockRegistration | undefined;
    if (registration === undefined) return fallback(`no '${BACKEND}' backend is registered`);
    if (tf.engine().backendName === BACKEND) await tf.ready(); // let a pending init finish
    // The engine's registry, not tf.findBackend: that would start the stock backend's async
    // init, whose completion could land after the swap below (pending init, then the stock
    // instance written over the threaded one: "Backend 'wasm' has not yet been initialized").
    const existing = (tf.engine().registry[BACKEND] ?? null) as BackendWasm | null;
    if (existing && existing.numDataIds() > 0) {
      return fallback(
        `the '${BACKEND}' backend already holds ${existing.numDataIds()} tensor(s), which a ` +
          'new backend would lose; register the threaded backend before loading models',
      );
    }

    let backend: BackendWasm;
    try {
      backend = await createThreadedBackend(wanted);
    } catch (e) {
      return fallback(`threaded wasm unavailable: ${e instanceof Error ? e.message : String(e)}`);
    }

    const previous = current;
    // What to restore later: the registration found, unless that is our own threaded one.
    const base: StockRegistration = threadedIsRegistered() && stock ? stock : registration;
    stock = base;
    const activate = wasmIsActive();
    const factory = () => backend;
    current = { backend, factory, threads: getThreadsCount() };
    let ok = false;
    try {
      ok = await swapWasmRegistration(factory, base.priority, activate);
    } catch {
      ok = false;
    }
    if (previous) disposeIfAlive(previous.backend);
    if (ok) return true;
    await restore();
    return fallback(`the threaded '${BACKEND}' backend failed to initialise`);
  });
}

/**
 * Puts the stock single-threaded 'wasm' backend back (re-activating it if the threaded one was
 * active) and stops the worker threads. Tensors on the threaded backend become invalid. No-op when
 * no threaded backend is registered.
 */
export function restoreSingleThreadedWasmBackend(): Promise<void> {
  return serialized(restore);
}
