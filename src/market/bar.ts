// A bar (OHLCV candle) and the checks that make one valid.
import { DataError } from '../core/errors.js';

/** One candle. `ts` is the bar's open time in UTC epoch milliseconds; prices in quote currency. */
export interface Bar {
  readonly ts: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

/**
 * Why a bar is invalid, or null when it is valid: non-finite fields, a price <= 0, high below
 * low/open/close, low above open/close, negative volume. The string names the field.
 */
export function barProblem(bar: Bar): string | null {
  for (const field of ['ts', 'open', 'high', 'low', 'close', 'volume'] as const) {
    if (!Number.isFinite(bar[field])) return `${field} is not a finite number (${bar[field]})`;
  }
  for (const field of ['open', 'high', 'low', 'close'] as const) {
    if (bar[field] <= 0) return `${field} must be > 0, was ${bar[field]}`;
  }
  if (bar.high < bar.low) return `high must be >= low, was high ${bar.high} < low ${bar.low}`;
  if (bar.high < Math.max(bar.open, bar.close))
    return `high must be >= open and close, was high ${bar.high} with open ${bar.open}, close ${bar.close}`;
  if (bar.low > Math.min(bar.open, bar.close))
    return `low must be <= open and close, was low ${bar.low} with open ${bar.open}, close ${bar.close}`;
  if (bar.volume < 0) return `volume must be >= 0, was ${bar.volume}`;
  return null;
}

/** Builds a bar, refusing an invalid one with a DataError naming the field. */
export function createBar(fields: Bar): Bar {
  const problem = barProblem(fields);
  if (problem)
    throw new DataError('BAR_INVALID', `invalid bar at ts ${fields.ts}: ${problem}`, { bar: fields });
  return Object.freeze({ ...fields });
}
