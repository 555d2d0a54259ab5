// Replay's trial releases: the released trials at any time, best first, the same array until one more is out.
import { describe, expect, it } from 'vitest';
import type { RankedTrial } from '../training/ranked-trials.js';
import { scheduleReleases } from './trial-release.js';

const HOUR = 3_600_000;

function trial(number: number, value: number, completedAt: number | null): RankedTrial {
  return {
    study: 's',
    number,
    trialId: number + 1,
    value,
    modelPath: `/m/${number}`,
    completedAt,
    params: {},
  };
}

describe('scheduleReleases', () => {
  const trials = [
    trial(0, 0.5, 30),
    trial(1, 0.9, 10),
    trial(2, 0.1, 20),
    trial(3, 0.9, 20),
    trial(4, 0.3, null),
  ];

  it('releases in trial-number order whatever the completion times, one every everyMs, best first', () => {
    const { releases, trialsAt } = scheduleReleases(trials, 1000, HOUR);
    expect(releases.map((r) => [r.number, r.releasedAt])).toEqual([
      [0, 1000 + HOUR],
      [1, 1000 + 2 * HOUR],
      [2, 1000 + 3 * HOUR],
      [3, 1000 + 4 * HOUR],
      [4, 1000 + 5 * HOUR],
    ]);
    for (let ts = 0; ts < 1000 + 7 * HOUR; ts += HOUR / 4) {
      const expected = [...releases]
        .sort((a, b) => b.value - a.value || a.number - b.number)
        .filter((t) => t.releasedAt <= ts);
      expect(trialsAt(ts), `at ${ts}`).toEqual(expected);
    }
    expect(trialsAt(1000 + 4 * HOUR).map((t) => t.number)).toEqual([1, 3, 0, 2]);
  });

  it('across studies: equal numbers in completion order, then by study name', () => {
    const a0 = { ...trial(0, 0.2, 9), study: 'a' };
    const b0 = { ...trial(0, 0.2, 5), study: 'b' };
    const { releases } = scheduleReleases([trial(1, 0.1, 0), trial(0, 0.5, 5), a0, b0], 0, HOUR);
    expect(releases.map((r) => `${r.study}${r.number}`)).toEqual(['b0', 's0', 'a0', 's1']);
  });

  it('returns the same frozen array until another trial is released, whatever order it is asked in', () => {
    const { trialsAt } = scheduleReleases(trials, 0, HOUR);
    const two = trialsAt(2 * HOUR);
    expect(Object.isFrozen(two)).toBe(true);
    expect(trialsAt(2 * HOUR + 59 * 60_000)).toBe(two);
    const three = trialsAt(3 * HOUR);
    expect(three).not.toBe(two);
    expect(three).toHaveLength(3);
    expect(trialsAt(HOUR)).toHaveLength(1); // asked for an earlier time: still right
    expect(trialsAt(2 * HOUR)).toEqual(two);
    expect(trialsAt(-1)).toEqual([]);
  });
});
