import { describe, expect, it } from 'vitest';
import { planWindows, windowId } from './plan.js';

const H = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);
const hourly = (n: number) => Array.from({ length: n }, (_, k) => T0 + k * H);

describe('planWindows', () => {
  it('N consecutive windows, the last ending at the data end, each after its training hours', () => {
    const w = planWindows({
      ts: hourly(1000),
      timeframeMs: H,
      windows: 3,
      windowHours: 100,
      trainHours: 500,
    });
    expect(w.map((x) => [x.trainFrom, x.from, x.to])).toEqual([
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
    const w = planWindows({
      ts: hourly(1000),
      timeframeMs: H,
      windows: 2,
      windowHours: 100,
      trainHours: 500,
      end: 900,
    });
    expect(w.map((x) => [x.trainFrom, x.from, x.to])).toEqual([
      [200, 700, 800],
      [300, 800, 900],
    ]);
    expect(() =>
      planWindows({
        ts: hourly(1000),
        timeframeMs: H,
        windows: 2,
        windowHours: 100,
        trainHours: 500,
        end: 600,
      }),
    ).toThrow(/need 700 bars; the data has 600/);
  });

  it('counts hours in bars of the data timeframe', () => {
    const w = planWindows({
      ts: hourly(400),
      timeframeMs: 4 * H,
      windows: 2,
      windowHours: 400,
      trainHours: 800,
    });
    expect(w.map((x) => [x.trainFrom, x.from, x.to])).toEqual([
      [0, 200, 300],
      [100, 300, 400],
    ]);
  });

  it('refuses data too short for the windows, and hours that are not whole bars', () => {
    expect(() =>
      planWindows({ ts: hourly(1000), timeframeMs: H, windows: 6, windowHours: 100, trainHours: 500 }),
    ).toThrow(/need 1100 bars; the data has 1000/);
    expect(() =>
      planWindows({ ts: hourly(1000), timeframeMs: 4 * H, windows: 1, windowHours: 10, trainHours: 40 }),
    ).toThrow(/--window-hours must be a whole number of 240-minute bars, was 10 h/);
  });
});
