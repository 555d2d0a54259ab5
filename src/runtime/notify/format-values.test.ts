import { describe, expect, it } from 'vitest';
import {
  formatDuration,
  formatMoney,
  formatPct,
  formatScore,
  formatScorePair,
  formatTime,
} from './format-values.js';

describe('value formats', () => {
  it('are fixed and locale-free', () => {
    expect(formatScore(1.2345)).toBe('1.23');
    expect(formatScore(0.012345)).toBe('0.012');
    expect(formatScore(null)).toBe('n/a');
    expect(formatScorePair(1.5, 1.5)).toEqual(['1.50', '1.50']);
    expect(formatPct(-0.004)).toBe('0.00 %');
    expect(formatPct(-1.5)).toBe('-1.50 %');
    expect(formatMoney(-1234567.891)).toBe('-1,234,567.89');
    expect(formatTime(Date.UTC(2024, 0, 5, 13, 7, 9))).toBe('2024-01-05 13:07:09 UTC');
    expect(formatDuration(45_000)).toBe('45 s');
    expect(formatDuration(3 * 86_400_000 + 4 * 3_600_000 + 60_000)).toBe('3 d 4 h');
    expect(formatDuration(2 * 3_600_000)).toBe('2 h');
  });
});
