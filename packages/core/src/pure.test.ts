// `@gradcam-explorer/core/pure` is what the page's main thread imports: it must load neither
// TensorFlow.js nor h5wasm at runtime (the method registry included: its formulas get `tf` from the
// engine). Every such package is mocked to fail when loaded.
import { describe, expect, it, vi } from 'vitest';

const { loaded, refuse } = vi.hoisted(() => {
  const loaded: string[] = [];
  const refuse = (name: string) => () => {
    loaded.push(name);
    throw new Error(`${name} was loaded`);
  };
  return { loaded, refuse };
});
vi.mock('@tensorflow/tfjs-core', refuse('@tensorflow/tfjs-core'));
vi.mock('@tensorflow/tfjs-layers', refuse('@tensorflow/tfjs-layers'));
vi.mock('@tensorflow/tfjs-backend-cpu', refuse('@tensorflow/tfjs-backend-cpu'));
vi.mock('@tensorflow/tfjs-backend-wasm', refuse('@tensorflow/tfjs-backend-wasm'));
vi.mock('h5wasm', refuse('h5wasm'));

describe('core/pure', () => {
  it('gives the method registry, its options and the hiding rule without TensorFlow.js', async () => {
    const pure = await import('./pure.js');
    expect(loaded).toEqual([]);
    expect(pure.CAM_METHODS.map((m) => m.id)).toContain(pure.DEFAULT_METHOD);
    expect(pure.getCamMethod('scorecam').options?.[0].id).toBe('maxChannels');
    expect(pure.channelOption(pure.getCamMethod('scorecam'))?.default).toBe(64);
    expect(typeof pure.hideRegions).toBe('function');
    expect(pure.PREPROCESS_MODES.map((m) => m.id)).toEqual(['unit', 'tf', 'caffe', 'raw']);
    expect(pure.parseLabels('0 covid\n1 normal', 'labels.txt')).toEqual(['covid', 'normal']);
  });

  it('(the check works: the engine side does load TensorFlow.js)', async () => {
    await expect(import('./cams/base.js')).rejects.toThrow();
    expect(loaded).toContain('@tensorflow/tfjs-core');
  });
});
