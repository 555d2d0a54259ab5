// Timeframes ("1h", "15m", "1d") and the annualisation they imply for a 24/7 market.
import { ConfigError } from './errors.js';

const UNIT_MS: Record<string, number> = {
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** Milliseconds of a bar for a timeframe such as "1h" or "15m". Throws ConfigError on anything else. */
export function timeframeToMs(timeframe: string): number {
  const match = /^(\d+)([mhdw])$/.exec(timeframe);
  if (!match)
    throw new ConfigError(
      'TIMEFRAME_INVALID',
      `timeframe must look like 1m, 15m, 1h, 4h or 1d, was "${timeframe}"`,
      { timeframe },
    );
  const count = Number(match[1]);
  if (count <= 0)
    throw new ConfigError('TIMEFRAME_INVALID', `timeframe must be positive, was "${timeframe}"`, {
      timeframe,
    });
  return count * UNIT_MS[match[2]!]!;
}

/** The shortest timeframe string for a bar length in ms ("1h" for 3_600_000). */
export function msToTimeframe(ms: number): string {
  for (const unit of ['w', 'd', 'h', 'm'] as const) {
    const size = UNIT_MS[unit]!;
    if (ms % size === 0) return `${ms / size}${unit}`;
  }
  throw new ConfigError('TIMEFRAME_INVALID', `bar length must be a whole number of minutes, was ${ms} ms`, {
    ms,
  });
}

const YEAR_MS = 365 * 86_400_000;

/** Periods per year for a 24/7 market: 8760 for 1h, 365 for 1d. */
export function periodsPerYear(timeframeMs: number): number {
  return YEAR_MS / timeframeMs;
}

export const HOUR_MS = 3_600_000;

/** Frames that cover at least `hours` at `timeframeMs` per frame (rounded up): hour-based rules in frames. */
export function hoursToBars(hours: number, timeframeMs: number): number {
  return Math.ceil((hours * HOUR_MS) / timeframeMs);
}

/** Hours covered by `bars` frames of `timeframeMs`. */
export function barsToHours(bars: number, timeframeMs: number): number {
  return (bars * timeframeMs) / HOUR_MS;
}
