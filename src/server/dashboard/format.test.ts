import { describe, expect, it } from 'vitest';
import { duration, money, signed, utcTime } from './format.js';

describe('format', () => {
  it('formats money, signed values and missing values', () => {
    expect(money(12345.6)).toBe('12,345.60');
    expect(money(null)).toBe('–');
    expect(signed(2.184, 'pp')).toBe('+2.18 pp');
    expect(signed(-0.001, '%')).toBe('0.00 %');
    expect(signed(-1.5, '%')).toBe('-1.50 %');
    expect(signed(Number.NaN, '%')).toBe('–');
  });

  it('shows times in UTC and durations in a readable unit', () => {
    expect(utcTime('2024-03-11T19:00:00.000Z')).toBe('2024-03-11 19:00 UTC');
    expect(utcTime(Date.UTC(2024, 0, 2, 3, 4))).toBe('2024-01-02 03:04 UTC');
    expect(utcTime('not a time')).toBe('–');
    expect(duration(42)).toBe('42 s');
    expect(duration(600)).toBe('10 min');
    expect(duration(3 * 3600)).toBe('3.0 h');
    expect(duration(3 * 86400)).toBe('3.0 d');
  });
});
