// A threaded wasm backend that cannot be set up (say, after a tfjs update) must not silently
// leave the CLI on one thread: the fallback is reported, once, as a warning on stderr.
import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { Reporter } from './reporter.js';

const register = vi.hoisted(() =>
  vi.fn(async (_threads: number, options: { onFallback?: (reason: string) => void } = {}) => {
    options.onFallback?.('threaded wasm unavailable: simulated');
    return false;
  }),
);
vi.mock('./wasm-threads.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('./wasm-threads.js')>()),
  registerThreadedWasmBackend: register,
}));

const { initNodeBackend, threadCount } = await import('./runtime.js');

function stderrReporter() {
  const stream = new PassThrough() as unknown as NodeJS.WriteStream;
  let text = '';
  (stream as unknown as PassThrough).on('data', (d: Buffer) => (text += d.toString()));
  return { reporter: new Reporter(stream), text: () => text };
}

describe('initNodeBackend', () => {
  it('reads the thread count from GRADCAM_THREADS, capped at 8', () => {
    expect(threadCount({ GRADCAM_THREADS: '3' })).toBe(3);
    expect(threadCount({ GRADCAM_THREADS: '64' })).toBe(8);
    expect(threadCount({ GRADCAM_THREADS: '0' })).toBeGreaterThanOrEqual(1);
  });

  it('warns once on stderr when the threaded backend falls back to one thread', async () => {
    const first = stderrReporter();
    expect(await initNodeBackend(2, first.reporter)).toBe('wasm');
    expect(register).toHaveBeenCalledTimes(1);
    expect(register.mock.calls[0][0]).toBe(2);
    expect(first.text()).toBe(
      'warning: TensorFlow.js runs on 1 thread instead of 2 (threaded wasm unavailable: ' +
        'simulated); set GRADCAM_THREADS=1 to stop trying.\n',
    );
    // Later calls in the same process neither try again nor repeat the warning.
    const second = stderrReporter();
    expect(await initNodeBackend(2, second.reporter)).toBe('wasm');
    expect(register).toHaveBeenCalledTimes(1);
    expect(second.text()).toBe('');
  });
});
