// What a paired excess-return series is worth as evidence: its information ratio with a HAC interval.
import type { ExcessSummary } from './newey-west.js';
import { normalQuantile } from './sequential.js';

/** The annualised information ratio (Sharpe of the paired excess returns) and its confidence interval. */
export interface InformationRatio {
  /** mean / sd x sqrt(P); null below 2 bars or with no variance. */
  readonly ir: number | null;
  /** Bounds at `confidence`: (mean -/+ z HAC standard error of the mean) / sd x sqrt(P). */
  readonly lower: number | null;
  readonly upper: number | null;
  readonly confidence: number;
}

/**
 * The information ratio of an excess series and its two-sided interval. The interval comes from the
 * Newey-West standard error of the mean (autocorrelation-robust) with the sd taken as known: over a week
 * of hours an IR of 3 has an interval of about +/- 9, which is the point of printing it.
 */
export function informationRatio(
  s: ExcessSummary,
  periodsPerYear: number,
  confidence = 0.95,
): InformationRatio {
  if (!(s.n >= 2 && s.sd > 0)) return { ir: null, lower: null, upper: null, confidence };
  const k = Math.sqrt(periodsPerYear) / s.sd;
  const se = Math.sqrt(s.longRunVariance / s.n);
  const z = normalQuantile(1 - (1 - confidence) / 2);
  return { ir: s.mean * k, lower: (s.mean - z * se) * k, upper: (s.mean + z * se) * k, confidence };
}
