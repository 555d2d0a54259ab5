import { describe, expect, it } from 'vitest';
import { type EvaluationWindow, type PlanInput, planWindows, windowId } from './plan.js';

const H = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);
const hourly = (n: number) => Array.from({ length: n }, (_, k) => T0 + k * H);

/** Windows over 1000 hourly bars: 3 of 100 h, each after 500 h of training, unless `input` says otherwise. */
const plan = (input: Partial<PlanInput> = {}) =>
  planWindows({ ts: hourly(1000), timeframeMs: H, windows: 3, windowHours: 100, trainHours: 500, ...input });
/** Each window's first training bar, first bar and end (bar indices). */
const bounds = (windows: EvaluationWindow[]) => windows.map((x) => [x.trainFrom, x.from, x.to]);

describe('planWindows', () => {
  it('N consecutive windows, the last ending at the data end, each after its training hours', () => {
    const w = plan();
    expect(bounds(w)).toEqual([
      [200, 700, 800],
      [300, 800, 900],
      [400, 900, 1000],
    ]);
    expect(w[2]!.toTs).toBe(T0 + 1000 * H);
    expect(w[0]!.trainFromTs).toBe(T0 + 200 * H);
    expect(w[0]!.id).toBe('20240130T0400');
    expect(windowId(T0)).toBe('20240101T0000');
  });

  it('ends the last window at `end` when given: bars from it on are left out', () => {
    expect(bounds(plan({ windows: 2, end: 900 }))).toEqual([
      [200, 700, 800],
      [300, 800, 900],
    ]);
    expect(() => plan({ windows: 2, end: 600 })).toThrow(/need 700 bars; the data has 600/);
  });

  it('counts hours in bars of the data timeframe', () => {
    const w = plan({ ts: hourly(400), timeframeMs: 4 * H, windows: 2, windowHours: 400, trainHours: 800 });
    expect(bounds(w)).toEqual([
      [0, 200, 300],
      [100, 300, 400],
    ]);
  });

  it('refuses data too short for the windows, and hours that are not whole bars', () => {
    expect(() => plan({ windows: 6 })).toThrow(/need 1100 bars; the data has 1000/);
    expect(() => plan({ timeframeMs: 4 * H, windows: 1, windowHours: 10, trainHours: 40 })).toThrow(
      /--window-hours must be a whole number of 240-minute bars, was 10 h/,
    );
  });
});
