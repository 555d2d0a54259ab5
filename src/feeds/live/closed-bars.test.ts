import { describe, expect, it } from 'vitest';
import { alignToGrid, lastClosedBarTs, splitClosed } from './closed-bars.js';

const H = 3_600_000;
const T = Date.UTC(2024, 0, 1, 10);
const candle = (ts: number) => ({ ts, open: 1, high: 1, low: 1, close: 1, volume: 1 });

describe('closed bars', () => {
  it('the latest closed bar is the one that ended at or before now', () => {
    expect(lastClosedBarTs(T, H)).toBe(T - H); // 10:00 exactly: the 09:00 bar has just closed
    expect(lastClosedBarTs(T - 1, H)).toBe(T - 2 * H); // 09:59:59.999: 09:00 is still forming
    expect(lastClosedBarTs(T + 59 * 60_000, H)).toBe(T - H);
  });

  it('aligns times down to the grid', () => {
    expect(alignToGrid(T + 1_234, H)).toBe(T);
    expect(alignToGrid(T, H)).toBe(T);
  });

  it('drops the forming candle (ts + timeframe > now) and future ones, keeps order of the closed', () => {
    const split = splitClosed(
      [candle(T - 2 * H), candle(T - H), candle(T), candle(T + H)],
      H,
      T + 30 * 60_000,
    );
    expect(split.closed.map((c) => c.ts)).toEqual([T - 2 * H, T - H]);
    expect(split.forming.map((c) => c.ts)).toEqual([T, T + H]);
  });

  it('a candle is closed at the very millisecond its bar ends', () => {
    expect(splitClosed([candle(T)], H, T + H).closed).toHaveLength(1);
    expect(splitClosed([candle(T)], H, T + H - 1).forming).toHaveLength(1);
  });

  it('a candle without a finite open time cannot be placed', () => {
    const split = splitClosed([candle(Number.NaN), candle(T)], H, T + H);
    expect(split.unplaced).toHaveLength(1);
    expect(split.closed).toHaveLength(1);
  });
});
