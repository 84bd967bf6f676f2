// Backend choice inside the worker: WebGPU, else hardware WebGL, else wasm (SIMD + threads).
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { initBackend } from '@gradcam-explorer/core';
import threadsScript from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js?url';
import type { BackendChoice, BackendInfo, BackendName } from './protocol';

// The threaded wasm's pthread workers load this same-origin copy of the Emscripten factory instead
// of a blob: URL, which the app's CSP forbids (see tfjsWasmThreadsUnderCsp in vite.config.ts).
if (__GRADCAM_BUILD__) {
  (globalThis as { __gradcamWasmThreadsScript?: string }).__gradcamWasmThreadsScript = new URL(
    threadsScript,
    self.location.href,
  ).href;
}

/** Renderers that are CPU emulations of a GPU: slower than wasm for these networks. */
export const SOFTWARE_RENDERER =
  /swiftshader|llvmpipe|softpipe|software|basic render|mesa offscreen/i;

/** The WebGL renderer string (WEBGL_debug_renderer_info), or null when WebGL is unavailable. */
function webglRenderer(): string | null {
  try {
    const canvas = new OffscreenCanvas(1, 1);
    const gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) as
      WebGL2RenderingContext | WebGLRenderingContext | null;
    if (!gl) return null;
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = ext
      ? String(gl.getParameter(ext.UNMASKED_RENDERER_WEBGL))
      : String(gl.getParameter(gl.RENDERER));
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return renderer;
  } catch {
    return null;
  }
}

async function hasWebGpu(): Promise<{ ok: boolean; why: string }> {
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (!gpu) return { ok: false, why: 'no WebGPU in this browser' };
  try {
    const adapter = (await gpu.requestAdapter()) as {
      info?: { isFallbackAdapter?: boolean };
    } | null;
    if (!adapter) return { ok: false, why: 'WebGPU has no adapter' };
    if (adapter.info?.isFallbackAdapter)
      return { ok: false, why: 'WebGPU adapter is a CPU fallback' };
    return { ok: true, why: 'WebGPU adapter found' };
  } catch {
    return { ok: false, why: 'WebGPU adapter request failed' };
  }
}

/** A backend that has not started by then never will (e.g. a blocked wasm thread script). */
const START_TIMEOUT_MS = 30_000;

function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(message)), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

/** XNNPACK's own cap on threads (tfjs-backend-wasm backend.cc). */
const MAX_THREADS = 8;

/**
 * tfjs-backend-wasm 4.22 (src/cc/backend.cc) caps its thread pool at
 * `emscripten_num_logical_cores() / 2`, i.e. navigator.hardwareConcurrency / 2, whatever
 * setThreadsCount asks: 1 thread on a 2-core machine. While the wasm module starts, the worker
 * reports `n` logical cores so that the cap is n / 2 and the requested count takes effect.
 */
async function withLogicalCores<T>(n: number, start: () => Promise<T>): Promise<T> {
  const nav = self.navigator as Navigator & { hardwareConcurrency: number };
  const own = Object.getOwnPropertyDescriptor(nav, 'hardwareConcurrency');
  try {
    Object.defineProperty(nav, 'hardwareConcurrency', { value: n, configurable: true });
  } catch {
    return start(); // not redefinable here: the library's default applies
  }
  try {
    return await start();
  } finally {
    if (own) Object.defineProperty(nav, 'hardwareConcurrency', own);
    else delete (nav as { hardwareConcurrency?: number }).hardwareConcurrency;
  }
}

/**
 * Initialises TensorFlow.js. `auto`: WebGPU when a hardware adapter exists; else WebGL unless the
 * renderer is a software rasteriser (SwiftShader in headless Chromium, several times slower than
 * wasm here); else wasm, threaded when the page is cross-origin isolated. A named backend is forced
 * (benchmarks compare them).
 */
export async function chooseBackend(
  choice: BackendChoice,
  wasmUrls: Record<string, string>,
  requestedThreads?: number,
): Promise<BackendInfo> {
  const t0 = performance.now();
  // wasm is configured first in every case: it is the fallback of every other choice.
  setWasmPaths(wasmUrls);
  const cores = navigator.hardwareConcurrency || 1;
  const threads = Math.max(1, Math.min(MAX_THREADS, Math.round(requestedThreads ?? cores)));
  if (self.crossOriginIsolated) setThreadsCount(threads);

  const notes: string[] = [];
  let order: BackendName[];
  let renderer: string | undefined;
  if (choice !== 'auto') {
    order = [choice, 'wasm', 'cpu'];
    notes.push(`${choice} requested`);
  } else {
    order = [];
    const gpu = await hasWebGpu();
    if (gpu.ok) order.push('webgpu');
    notes.push(gpu.why);
    const r = webglRenderer();
    if (r === null) notes.push('no WebGL');
    else {
      renderer = r;
      if (SOFTWARE_RENDERER.test(r))
        notes.push(`WebGL is a software renderer (${r}), wasm is faster`);
      else {
        order.push('webgl');
        notes.push(`WebGL renderer ${r}`);
      }
    }
    order.push('wasm', 'cpu');
  }
  const name = (await withTimeout(
    withLogicalCores(2 * threads, () => initBackend({ prefer: order })),
    START_TIMEOUT_MS,
    `TensorFlow.js did not start within ${START_TIMEOUT_MS / 1000} s (tried ${order.join(', ')})`,
  )) as BackendName;
  const info: BackendInfo = { name, reason: '', ms: 0 };
  if (name === 'wasm') {
    try {
      info.threads = getThreadsCount();
    } catch {
      info.threads = undefined; // a backend instance this module did not create
    }
    notes.push(
      !self.crossOriginIsolated
        ? 'wasm without threads (page not cross-origin isolated)'
        : info.threads === undefined
          ? 'wasm (thread count unknown)'
          : `wasm with ${info.threads} thread${info.threads === 1 ? '' : 's'}`,
    );
  }
  if (name === 'webgl') info.renderer = renderer ?? webglRenderer() ?? undefined;
  if (name !== order[0]) notes.push(`${order[0]} failed to start`);
  info.reason = notes.join('; ');
  info.ms = performance.now() - t0;
  return info;
}
