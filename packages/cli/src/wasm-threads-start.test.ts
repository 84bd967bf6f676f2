import { expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { registerThreadedWasmBackend, restoreSingleThreadedWasmBackend } from './wasm-threads.js';

// A file of its own: the engine must not have initialised any backend yet.
it('swaps in the threaded backend without starting the stock one (whose late init would undo it)', async () => {
  const registration = tf.engine().registryFactory['wasm']!;
  const stockFactory = registration.factory;
  let stockStarts = 0;
  registration.factory = () => {
    stockStarts++;
    return stockFactory();
  };
  try {
    expect(await registerThreadedWasmBackend(2)).toBe(true);
    expect(stockStarts).toBe(0);
    // Nothing pending, and the engine's registry holds the active (threaded) instance.
    await new Promise((r) => setTimeout(r, 500));
    expect(tf.engine().registry['wasm']).toBe(tf.engine().backend);
    expect(getThreadsCount()).toBe(2);
    expect(Array.from(tf.tidy(() => tf.add(tf.tensor([1, 2]), 1).dataSync()))).toEqual([2, 3]);
  } finally {
    await restoreSingleThreadedWasmBackend();
    registration.factory = stockFactory;
  }
});
