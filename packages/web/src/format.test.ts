import { describe, expect, it } from 'vitest';
import {
  formatEta,
  formatMB,
  formatMs,
  formatPercent,
  formatShare,
  formatValue,
  shortLabel,
} from './format';

describe('format', () => {
  it('formats sizes, percentages, estimates and durations', () => {
    expect(formatMB(14_536_120)).toBe('14.5 MB');
    expect(formatMB(553_467_096)).toBe('553 MB');
    expect(formatPercent(0.5703)).toBe('57.0 %');
    expect(formatPercent(0.0042)).toBe('0.42 %');
    expect(formatPercent(0.00001)).toBe('< 0.01 %');
    expect(formatPercent(0)).toBe('0.00 %');
    expect(formatEta(null)).toBe('estimating...');
    expect(formatEta(0.2)).toBe('less than a second left');
    expect(formatEta(12.4)).toBe('about 12 s left');
    expect(formatEta(300)).toBe('about 5 min left');
    expect(formatMs(84.4)).toBe('84 ms');
    expect(formatMs(1340)).toBe('1.3 s');
  });

  it('formats raw values with three significant digits and a true minus sign', () => {
    expect(formatValue(0.012516)).toBe('0.0125');
    expect(formatValue(-0.3596)).toBe('−0.360');
    expect(formatValue(0.0019123, true)).toBe('+0.00191');
    expect(formatValue(0)).toBe('0');
    expect(formatValue(26.31)).toBe('26.3');
    expect(formatValue(3.2e-7)).toBe('3.20e-7');
    expect(formatShare(0.0412)).toBe('+4.1 %');
    expect(formatShare(-0.003)).toBe('−0.3 %');
    expect(formatShare(0.0001)).toBe('+< 0.1 %');
  });

  it('names a class by its first synonym', () => {
    expect(shortLabel('tabby, tabby cat')).toBe('tabby');
    expect(shortLabel('bull mastiff')).toBe('bull mastiff');
  });
});
