import { describe, expect, it } from 'vitest';
import {
  areaPath,
  describeCurve,
  formatAuc,
  formatTick,
  linePath,
  niceMax,
  toPoint,
} from './chart';

const box = { left: 40, right: 240, top: 10, bottom: 110, yMax: 0.5 };
const curve = { fractions: [0, 0.5, 1], probabilities: [0.5, 0.25, 0] };

describe('faithfulness charts', () => {
  it('maps curve points into the plot box', () => {
    expect(toPoint(box, 0, 0)).toEqual([40, 110]);
    expect(toPoint(box, 1, 0.5)).toEqual([240, 10]);
    expect(toPoint(box, 0.5, 0.25)).toEqual([140, 60]);
    // Above yMax is clipped to the top.
    expect(toPoint(box, 0, 0.9)).toEqual([40, 10]);
  });

  it('builds line and area paths', () => {
    expect(linePath(box, curve)).toBe('M40 10 L140 60 L240 110');
    expect(areaPath(box, curve)).toBe('M40 10 L140 60 L240 110 L240 110 L40 110 Z');
    expect(areaPath(box, { fractions: [], probabilities: [] })).toBe('');
  });

  it('chooses a readable axis maximum and formats numbers', () => {
    expect(niceMax([0.57, 0.3])).toBe(1);
    expect(niceMax([0.04])).toBe(0.05);
    expect(niceMax([0.2])).toBe(0.2);
    expect(niceMax([])).toBe(0.01);
    expect(formatAuc(0.02149)).toBe('0.021');
    expect(formatTick(0.025)).toBe('2.5 %');
    expect(formatTick(1)).toBe('100 %');
  });

  it('describes a curve in words', () => {
    const five = { fractions: [0, 0.25, 0.5, 0.75, 1], probabilities: [0.57, 0.2, 0.1, 0.05, 0] };
    expect(describeCurve(five, 'removed')).toBe(
      'Probability 57 % at 0 %, 20 % at 25 %, 10 % at 50 %, 5 % at 75 %, 0 % at 100 % of the pixels removed.',
    );
  });
});
