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
  return barFieldsProblem(bar.ts, bar.open, bar.high, bar.low, bar.close, bar.volume);
}

/** barProblem for a bar's fields given one by one (a bar still in columns): the first problem found. */
export function barFieldsProblem(
  ts: number,
  open: number,
  high: number,
  low: number,
  close: number,
  volume: number,
): string | null {
  const finite =
    Number.isFinite(ts) &&
    Number.isFinite(open) &&
    Number.isFinite(high) &&
    Number.isFinite(low) &&
    Number.isFinite(close) &&
    Number.isFinite(volume);
  if (finite) return barValuesProblem(open, high, low, close, volume);
  for (const [field, value] of [
    ['ts', ts],
    ['open', open],
    ['high', high],
    ['low', low],
    ['close', close],
    ['volume', volume],
  ] as const)
    if (!Number.isFinite(value)) return `${field} is not a finite number (${value})`;
  return null;
}

/**
 * barProblem for finite values given one by one (the loaders' columns): a price <= 0, high below
 * low/open/close, low above open/close, negative volume. The string starts with the field's name.
 */
export function barValuesProblem(
  open: number,
  high: number,
  low: number,
  close: number,
  volume: number,
): string | null {
  if (open > 0 && high > 0 && low > 0 && close > 0 && high >= low && volume >= 0) {
    if (high >= open && high >= close && low <= open && low <= close) return null;
  }
  for (const [field, value] of [
    ['open', open],
    ['high', high],
    ['low', low],
    ['close', close],
  ] as const) {
    if (value <= 0) return `${field} must be > 0, was ${value}`;
  }
  if (high < low) return `high must be >= low, was high ${high} < low ${low}`;
  if (high < Math.max(open, close))
    return `high must be >= open and close, was high ${high} with open ${open}, close ${close}`;
  if (low > Math.min(open, close))
    return `low must be <= open and close, was low ${low} with open ${open}, close ${close}`;
  if (volume < 0) return `volume must be >= 0, was ${volume}`;
  return null;
}

/** Builds a bar, refusing an invalid one with a DataError naming the field. */
export function createBar(fields: Bar): Bar {
  const problem = barProblem(fields);
  if (problem)
    throw new DataError('BAR_INVALID', `invalid bar at ts ${fields.ts}: ${problem}`, { bar: fields });
  return Object.freeze({ ...fields });
}
