// Which candles have closed: the forming candle (still trading) is never used, whatever the exchange returns.
import type { Bar } from '../../market/bar.js';

/**
 * Open time of the latest bar closed at `nowMs` on the epoch-aligned grid (bars of 1h open on the hour):
 * the bar [ts, ts + timeframeMs) is closed once `nowMs >= ts + timeframeMs`.
 */
export function lastClosedBarTs(nowMs: number, timeframeMs: number): number {
  return Math.floor(nowMs / timeframeMs) * timeframeMs - timeframeMs;
}

/** `ts` rounded down to the grid of `timeframeMs`. */
export function alignToGrid(ts: number, timeframeMs: number): number {
  return Math.floor(ts / timeframeMs) * timeframeMs;
}

/** Candles split by whether they had closed at `nowMs` (`ts + timeframeMs <= nowMs`); order kept. */
export interface ClosedSplit {
  readonly closed: Bar[];
  /** Still forming (or dated in the future): dropped. */
  readonly forming: Bar[];
  /** Candles whose open time is not a finite number: they cannot be placed in any frame. */
  readonly unplaced: Bar[];
}

export function splitClosed(candles: readonly Bar[], timeframeMs: number, nowMs: number): ClosedSplit {
  const closed: Bar[] = [];
  const forming: Bar[] = [];
  const unplaced: Bar[] = [];
  for (const candle of candles) {
    if (!Number.isFinite(candle.ts)) unplaced.push(candle);
    else if (candle.ts + timeframeMs <= nowMs) closed.push(candle);
    else forming.push(candle);
  }
  return { closed, forming, unplaced };
}
