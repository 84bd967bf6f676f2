import { describe, expect, it } from 'vitest';
import { scaleGains, scaleTops } from './scale-math';

describe('scale', () => {
  it('keeps every map on its own maximum, or puts them on the largest one', () => {
    // both.png, MobileNetV2, "tiger cat": counterfactual 0.0125, ordinary map 0.36.
    expect(scaleGains([0.0125, 0.36], 'own')).toEqual([1, 1]);
    const [cf, own] = scaleGains([0.0125, 0.36], 'shared');
    expect(cf).toBeCloseTo(0.0347, 4);
    expect(own).toBe(1);
    expect(scaleTops([0.0125, 0.36], 'shared')).toEqual([0.36, 0.36]);
    expect(scaleTops([0.0125, 0.36], 'own')).toEqual([0.0125, 0.36]);
  });

  it('leaves empty maps empty and ignores non-finite maxima', () => {
    expect(scaleGains([0, 0.5], 'shared')).toEqual([0, 1]);
    expect(scaleGains([0, 0], 'shared')).toEqual([0, 0]);
    expect(scaleGains([Number.NaN, 0.5], 'shared')[1]).toBe(1);
  });
});
