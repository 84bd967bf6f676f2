import { describe, expect, it } from 'vitest';
import type { ExplainOptions, Explanation } from '../engine.js';
import type { CamOutput } from '../cams/types.js';
import { balanceOf, evidenceBalance, WEAK_RATIO } from './evidence.js';

const layer = (rawMax: number): CamOutput => ({
  kind: 'layer',
  width: 1,
  height: 1,
  values: new Float32Array(1),
  rawMax,
});

describe('balanceOf', () => {
  it('compares the raw maxima and calls a map weak below 5 % of the opposite one', () => {
    // both.png, MobileNetV2, out_relu, "tiger cat": counterfactual 0.0125, evidence for 0.36.
    const b = balanceOf(0.0125, 0.36);
    expect(b.ratio).toBeCloseTo(0.0347, 3);
    expect(b.weak).toBe(true);
    expect(WEAK_RATIO).toBe(0.05);
    expect(balanceOf(0.067, 0.75).weak).toBe(false);
    expect(balanceOf(0.36, 0.0125).weak).toBe(false);
  });

  it('handles empty maps without NaN', () => {
    expect(balanceOf(0.1, 0)).toEqual({
      rawMax: 0.1,
      oppositeRawMax: 0,
      ratio: Number.POSITIVE_INFINITY,
      weak: false,
    });
    expect(balanceOf(0, 0).ratio).toBe(0);
    expect(balanceOf(0, 0.2)).toMatchObject({ ratio: 0, weak: true });
  });
});

describe('evidenceBalance', () => {
  const target = { index: 282, label: 'tiger cat', probability: 0.04, logit: 5.9 };
  const asked: ExplainOptions[] = [];
  const analysis = {
    explain: async (o: ExplainOptions = {}): Promise<Explanation> => {
      asked.push(o);
      return {
        method: o.method!,
        layer: o.layer!,
        counterfactual: !!o.counterfactual,
        target,
        output: layer(o.counterfactual ? 0.0125 : 0.36),
        ms: 1,
      };
    },
  };

  it('runs the same question with the sign reversed', async () => {
    const e = {
      method: 'gradcam',
      layer: 'out_relu',
      counterfactual: true,
      target,
      output: layer(0.0125),
    };
    const b = await evidenceBalance(analysis, e, { methodOptions: { x: 1 } });
    expect(asked.at(-1)).toMatchObject({
      method: 'gradcam',
      layer: 'out_relu',
      classIndex: 282,
      counterfactual: false,
      methodOptions: { x: 1 },
    });
    expect(b).toMatchObject({ rawMax: 0.0125, oppositeRawMax: 0.36, weak: true });
  });

  it('has nothing to compare for methods without a counterfactual or pixel-level maps', async () => {
    const n = asked.length;
    const base = { layer: 'out_relu', counterfactual: false, target };
    expect(
      await evidenceBalance(analysis, { ...base, method: 'scorecam', output: layer(1) }),
    ).toBeNull();
    expect(
      await evidenceBalance(analysis, { ...base, method: 'eigencam', output: layer(1) }),
    ).toBeNull();
    const saliency: CamOutput = {
      kind: 'saliency',
      width: 1,
      height: 1,
      rgb: new Float32Array(3),
      magnitude: new Float32Array(1),
    };
    expect(
      await evidenceBalance(analysis, { ...base, method: 'guided-backprop', output: saliency }),
    ).toBeNull();
    expect(asked.length).toBe(n);
  });
});
