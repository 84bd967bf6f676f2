import { describe, expect, it } from 'vitest';
import type { MeasureResult } from '../worker/protocol';
import {
  comparisonFor,
  measureKey,
  upsertMeasurement,
  type Measurement,
  type MeasureSpec,
} from './measurements';

function entry(spec: Partial<MeasureSpec> = {}): Measurement {
  const s: MeasureSpec = {
    method: 'gradcam',
    layer: 'out_relu',
    classIndex: 243,
    counterfactual: false,
    baseline: 'blur',
    ...spec,
  };
  return { ...s, key: measureKey(s), label: s.method, className: 'x', result: {} as MeasureResult };
}

describe('measurements', () => {
  it('keys, replaces and compares measurements', () => {
    const a = entry();
    const b = entry({ method: 'gradcam++' });
    const black = entry({ method: 'layercam', baseline: 'black' });
    const cat = entry({ method: 'xgradcam', classIndex: 282 });
    expect(measureKey(entry({ channels: 16 }))).not.toBe(measureKey(entry({ channels: 64 })));
    let list = upsertMeasurement([], a);
    list = upsertMeasurement(list, b);
    list = upsertMeasurement(list, black);
    list = upsertMeasurement(list, cat);
    expect(comparisonFor(list, b.key)).toBe(a);
    expect(comparisonFor(list, a.key)).toBe(b);
    expect(comparisonFor(list, black.key)).toBeNull();
    expect(comparisonFor(list, cat.key)).toBeNull();
    expect(comparisonFor(list, 'nothing')).toBeNull();
    // Measuring again replaces and moves to the end.
    const again = { ...a };
    list = upsertMeasurement(list, again);
    expect(list.map((m) => m.method)).toEqual(['gradcam++', 'layercam', 'xgradcam', 'gradcam']);
    expect(list.at(-1)).toBe(again);
  });
});
