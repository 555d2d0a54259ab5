// The rolling evaluation's windows: N consecutive out-of-sample windows ending at the data's end, each with
// the training range right before it. Pure.
import { ConfigError } from '../../core/errors.js';
import { HOUR_MS } from '../../core/timeframe.js';
import { isoTs } from '../../market/market-data.js';

export interface PlanInput {
  /** Bar open times of the data (increasing), and its timeframe. */
  readonly ts: ArrayLike<number>;
  readonly timeframeMs: number;
  readonly windows: number;
  readonly windowHours: number;
  readonly trainHours: number;
  /** Index (exclusive) where the last window ends; default the data's end. */
  readonly end?: number;
}

/** One evaluation window: bars [from, to) are replayed; the study trains on bars [trainFrom, from). */
export interface EvaluationWindow {
  /** 0-based, in time order. */
  readonly index: number;
  readonly trainFrom: number;
  readonly from: number;
  readonly to: number;
  /** Open time of the first training bar, of the first replayed bar; `toTs` is the close of the last. */
  readonly trainFromTs: number;
  readonly fromTs: number;
  readonly toTs: number;
  /** The data's timeframe: a label's hours are its bars times this (as a replay's are). */
  readonly timeframeMs: number;
  /** A name that sorts in time order and is a folder name: the window's first bar, e.g. 20240301T0000. */
  readonly id: string;
}

/** hours as a whole number of bars of `timeframeMs`; ConfigError naming the flag otherwise. */
export function hoursAsBars(flag: string, hours: number, timeframeMs: number): number {
  const bars = (hours * HOUR_MS) / timeframeMs;
  if (!Number.isInteger(bars) || bars < 1)
    throw new ConfigError(
      'EVALUATE_HOURS_INVALID',
      `${flag} must be a whole number of ${timeframeMs / 60_000}-minute bars, was ${hours} h`,
      { flag, hours, timeframeMs },
    );
  return bars;
}

/** `ts` as a compact folder name: 2024-03-01T00:00Z -> 20240301T0000. */
export function windowId(ts: number): string {
  return isoTs(ts).slice(0, 16).replace(/[-:]/g, '');
}

/**
 * The windows, the last ending at `end`: window k holds bars [end - (N - k) W, end - (N - k - 1) W), its
 * study trains on the T bars before it. ConfigError EVALUATE_DATA_SHORT when the data cannot hold
 * T + N x W bars, saying how many it needs and how many it has.
 */
export function planWindows(input: PlanInput): EvaluationWindow[] {
  const { ts, timeframeMs, windows: n } = input;
  const w = hoursAsBars('--window-hours', input.windowHours, timeframeMs);
  const t = hoursAsBars('--train-hours', input.trainHours, timeframeMs);
  const end = input.end ?? ts.length;
  const needed = t + n * w;
  if (n < 1 || needed > end)
    throw new ConfigError(
      'EVALUATE_DATA_SHORT',
      `${n} windows of ${input.windowHours} h after ${input.trainHours} h of training need ${needed} bars; the data has ${end}${end > 0 ? ` (${isoTs(ts[0]!)} .. ${isoTs(ts[end - 1]!)})` : ''}: use fewer or shorter windows, or more data`,
      { needed, available: end },
    );
  return Array.from({ length: n }, (_, k) => {
    const from = end - (n - k) * w;
    const to = from + w;
    const trainFrom = from - t;
    return {
      index: k,
      trainFrom,
      from,
      to,
      trainFromTs: ts[trainFrom]!,
      fromTs: ts[from]!,
      toTs: ts[to - 1]! + timeframeMs,
      timeframeMs,
      id: windowId(ts[from]!),
    };
  });
}
