import { describe, expect, it } from 'vitest';
import { formatEta, formatMB, formatMs, formatPercent, shortLabel } from './format';

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

  it('names a class by its first synonym', () => {
    expect(shortLabel('tabby, tabby cat')).toBe('tabby');
    expect(shortLabel('bull mastiff')).toBe('bull mastiff');
  });
});
