import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import os from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { initNodeBackend } from './runtime.js';
import { registerThreadedWasmBackend, restoreSingleThreadedWasmBackend } from './wasm-threads.js';

const THREADS = 2;
const RUNS = 5;

/** Deterministic values in [-1, 1). */
function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

interface Workload {
  name: string;
  inputs: { shape: number[]; data: Float32Array }[];
  op: (inputs: tf.Tensor[]) => tf.Tensor;
}

const WORKLOADS: Workload[] = [
  {
    name: 'conv2d 1x224x224x64 * 3x3x64x64',
    inputs: [
      { shape: [1, 224, 224, 64], data: values(224 * 224 * 64, 1) },
      { shape: [3, 3, 64, 64], data: values(3 * 3 * 64 * 64, 2) },
    ],
    op: ([x, w]) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same'),
  },
  {
    name: 'matMul 512x1024 * 1024x512',
    inputs: [
      { shape: [512, 1024], data: values(512 * 1024, 3) },
      { shape: [1024, 512], data: values(1024 * 512, 4) },
    ],
    op: ([a, b]) => tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D),
  },
];

interface Measured {
  result: Float32Array;
  medianMs: number;
  /** Process CPU time over wall time: about the number of threads kept busy. */
  cpuPerWall: number;
}

/** Runs the workload on the active backend: one warm-up, then the median of RUNS timings. */
function measure(w: Workload): Measured {
  const inputs = w.inputs.map((i) => tf.tensor(i.data, i.shape, 'float32'));
  try {
    const first = w.op(inputs);
    const result = first.dataSync() as Float32Array;
    first.dispose();
    const times: number[] = [];
    const cpu0 = process.cpuUsage();
    for (let r = 0; r < RUNS; r++) {
      const t0 = performance.now();
      const y = w.op(inputs);
      y.dataSync();
      times.push(performance.now() - t0);
      y.dispose();
    }
    const cpu = process.cpuUsage(cpu0);
    const cpuPerWall = (cpu.user + cpu.system) / 1000 / times.reduce((a, b) => a + b, 0);
    times.sort((a, b) => a - b);
    return { result, medianMs: times[RUNS >> 1], cpuPerWall };
  } finally {
    tf.dispose(inputs);
  }
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

describe('threaded wasm backend', () => {
  const single = new Map<string, Measured>();

  beforeAll(async () => {
    expect(await initNodeBackend()).toBe('wasm');
    expect(getThreadsCount()).toBe(1);
    for (const w of WORKLOADS) single.set(w.name, measure(w));
  });

  afterAll(async () => {
    await restoreSingleThreadedWasmBackend();
  });

  it('refuses to swap a wasm backend that holds tensors, leaving it usable', async () => {
    const kept = tf.tensor([1, 2, 3]);
    const reasons: string[] = [];
    expect(await registerThreadedWasmBackend(THREADS, { onFallback: (r) => reasons.push(r) })).toBe(
      false,
    );
    expect(reasons[0]).toMatch(/holds 1 tensor/);
    expect(tf.getBackend()).toBe('wasm');
    expect(Array.from(tf.tidy(() => tf.mul(kept, 2).dataSync()))).toEqual([2, 4, 6]);
    kept.dispose();
  });

  it('falls back when fewer than 2 threads are asked for', async () => {
    expect(await registerThreadedWasmBackend(1)).toBe(false);
    expect(getThreadsCount()).toBe(1);
  });

  it(`runs on ${THREADS} threads with the single-threaded results`, async () => {
    expect(tf.engine().backend.numDataIds()).toBe(0);
    const reasons: string[] = [];
    const threaded = await registerThreadedWasmBackend(THREADS, {
      onFallback: (r) => reasons.push(r),
    });
    expect(reasons).toEqual([]);
    expect(threaded).toBe(true);
    expect(tf.getBackend()).toBe('wasm');
    expect(getThreadsCount()).toBe(THREADS);
    // Same count again: nothing to rebuild.
    expect(await registerThreadedWasmBackend(THREADS)).toBe(true);

    for (const w of WORKLOADS) {
      const ref = single.get(w.name)!;
      const got = measure(w);
      expect(got.result.length).toBe(ref.result.length);
      expect(maxAbsDiff(got.result, ref.result)).toBeLessThanOrEqual(1e-5);
      // Timing only reported: on shared cores another busy process can erase the gain.
      console.log(
        `${w.name}: 1 thread ${ref.medianMs.toFixed(1)} ms, ${THREADS} threads ` +
          `${got.medianMs.toFixed(1)} ms, speed-up x${(ref.medianMs / got.medianMs).toFixed(2)} ` +
          `(median of ${RUNS}; CPU/wall ${ref.cpuPerWall.toFixed(2)} vs ` +
          `${got.cpuPerWall.toFixed(2)}; load average ${os.loadavg()[0].toFixed(2)} on ` +
          `${os.availableParallelism()} cores; max |diff| ${maxAbsDiff(got.result, ref.result)})`,
      );
    }
  });

  it('restores the single-threaded backend', async () => {
    await restoreSingleThreadedWasmBackend();
    expect(tf.getBackend()).toBe('wasm');
    await tf.ready();
    expect(getThreadsCount()).toBe(1);
    const w = WORKLOADS[1];
    expect(maxAbsDiff(measure(w).result, single.get(w.name)!.result)).toBe(0);
  });
});
