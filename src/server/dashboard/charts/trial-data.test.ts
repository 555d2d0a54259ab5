import { describe, expect, it } from 'vitest';
import type { TrialRow } from '../api-types.js';
import { parseTrialTime, trialAxisLabels, trialHistory } from './trial-data.js';

const trial = (
  number: number,
  value: number | null,
  complete: string | null,
  state = 'COMPLETE',
): TrialRow => ({
  number,
  state,
  value,
  datetimeStart: null,
  datetimeComplete: complete,
  params: {},
  intermediateValues: [],
});

describe('parseTrialTime', () => {
  it('reads ISO times and the storage naive UTC form with microseconds', () => {
    expect(parseTrialTime('2024-03-01T10:00:00.123Z')).toBe(Date.UTC(2024, 2, 1, 10, 0, 0, 123));
    expect(parseTrialTime('2024-03-01 10:00:00.123456')).toBe(Date.UTC(2024, 2, 1, 10, 0, 0, 123));
    expect(parseTrialTime('2024-03-01T12:00:00+02:00')).toBe(Date.UTC(2024, 2, 1, 10));
    expect(parseTrialTime(null)).toBeNull();
    expect(parseTrialTime('yesterday')).toBeNull();
  });
});

describe('trialHistory', () => {
  it('keeps completed trials with a value, by completion time, with the best so far (maximize)', () => {
    const data = trialHistory(
      [
        trial(0, 1, '2024-03-01 10:00:02'),
        trial(1, 3, '2024-03-01 10:00:01'),
        trial(2, null, '2024-03-01 10:00:03', 'PRUNED'),
        trial(3, 2, '2024-03-01 10:00:04'),
        trial(4, 5, null, 'RUNNING'),
        trial(5, 4, '2024-03-01 10:00:05'),
      ],
      'maximize',
    );
    expect(data.numbers).toEqual([1, 0, 3, 5]);
    expect(data.score).toEqual([3, 1, 2, 4]);
    expect(data.best).toEqual([3, 3, 3, 4]);
  });

  it('takes the minimum for a minimizing study and keeps x strictly increasing', () => {
    const t = '2024-03-01T10:00:00.000Z';
    const data = trialHistory([trial(0, 5, t), trial(1, 2, t), trial(2, 3, t)], 'minimize');
    expect(data.best).toEqual([5, 2, 2]);
    const ms = Date.parse(t);
    expect(data.x).toEqual([ms, ms + 1, ms + 2]);
  });
});

describe('trialAxisLabels', () => {
  it('reads as clock times within a day (the date on the first tick), as dates and times across days', () => {
    const t = Date.parse('2026-12-03T14:30:44.000Z');
    expect(trialAxisLabels([t, t + 25, t + 60_000])).toEqual(['2026-12-03 14:30:44', '14:30:44', '14:31:44']);
    expect(trialAxisLabels([t, t + 86_400_000])).toEqual(['12-03 14:30', '12-04 14:30']);
    expect(trialAxisLabels([])).toEqual([]);
  });
});
