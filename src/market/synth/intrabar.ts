// Shapes one bar: high and low of a Brownian bridge between open and close, prices rounded to a tick.
import { PRICE_SIGNIFICANT_DIGITS } from './params.js';

const POWERS_OF_TEN = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12];

/**
 * 10^decimals for a symbol's prices: enough decimals for PRICE_SIGNIFICANT_DIGITS at `startPrice`
 * (0.01 for 42000, 0.000001 for 6.5), between 0 and 12 decimals.
 */
export function priceScale(startPrice: number): number {
  let decimals = PRICE_SIGNIFICANT_DIGITS - 1;
  let p = startPrice;
  while (p >= 10 && decimals > 0) {
    p /= 10;
    decimals--;
  }
  while (p < 1 && decimals < POWERS_OF_TEN.length - 1) {
    p *= 10;
    decimals++;
  }
  return POWERS_OF_TEN[decimals]!;
}

/**
 * `value` rounded to 1/scale, and at least 1/scale. Monotone non-decreasing in `value`, so rounding
 * open, high, low and close keeps high >= max(open, close) >= min(open, close) >= low > 0.
 */
export function roundToScale(value: number, scale: number): number {
  const rounded = Math.round(value * scale) / scale;
  return rounded > 0 ? rounded : 1 / scale;
}

/** Log offsets of a bar's high and low from its open (high >= max(0, r), low <= min(0, r)). */
export interface BarExtremes {
  highLog: number;
  lowLog: number;
}

/**
 * The high and low of a bar whose log path is a Brownian bridge from 0 to `logReturn` with
 * variance `barVol`^2 over the bar. The maximum M of such a bridge has the exact law
 * P(M > m) = exp(-2 m (m - r) / s^2) for m >= max(0, r), so it is drawn by inversion from a uniform:
 * M = (r + sqrt(r^2 - 2 s^2 ln(1 - u))) / 2, and the minimum likewise (the two are drawn
 * independently given r). `uHigh` and `uLow` are uniforms in [0, 1); writes into `out`.
 */
export function barExtremes(
  uHigh: number,
  uLow: number,
  logReturn: number,
  barVol: number,
  out: BarExtremes,
): void {
  const r2 = logReturn * logReturn;
  const twiceVariance = 2 * barVol * barVol;
  out.highLog = (logReturn + Math.sqrt(r2 - twiceVariance * Math.log(1 - uHigh))) / 2;
  out.lowLog = (logReturn - Math.sqrt(r2 - twiceVariance * Math.log(1 - uLow))) / 2;
}
