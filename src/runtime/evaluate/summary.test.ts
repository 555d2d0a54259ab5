import { describe, expect, it } from 'vitest';
import { quantile, spreadOf, summariseArm, winCount } from './summary.js';

const arm = (returnPct: number | null, swaps = 0) => ({
  returnPct,
  sharpe: null,
  maxDrawdownPct: null,
  swaps,
});

describe('evaluation summary', () => {
  it('quantiles interpolate linearly between sorted values (numpy default)', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4], 0.25)).toBe(1.75);
    expect(quantile([], 0.5)).toBeNull();
  });

  it('median, quartiles and the worst window, leaving undefined values out', () => {
    expect(spreadOf([3, null, -1, 2, 10], 'low')).toEqual({
      median: 2.5,
      q1: 1.25,
      q3: 4.75,
      worst: -1,
      n: 4,
    });
    expect(spreadOf([3, 7, 5], 'high').worst).toBe(7);
    const s = summariseArm([arm(1, 2), arm(-4, 5), arm(2, 0)]);
    expect(s.returnPct.worst).toBe(-4);
    expect(s.swaps.worst).toBe(5);
    expect(s.sharpe.n).toBe(0);
  });

  it('counts the windows one arm returned more than another, skipping undefined ones', () => {
    const a = [arm(1), arm(0), arm(null), arm(-2)];
    const b = [arm(0), arm(0), arm(5), arm(-3)];
    expect(winCount(a, b)).toEqual({ wins: 2, ties: 1, windows: 3 });
  });
});
