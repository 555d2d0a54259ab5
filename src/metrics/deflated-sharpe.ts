// The Deflated Sharpe Ratio (Bailey and Lopez de Prado, 2014): a PSR against the Sharpe the best of N
// trials would reach by luck alone.
import { mean, sampleStd } from './moments.js';
import { probabilisticSharpe } from './performance.js';

const EULER_GAMMA = 0.5772156649015329;

/**
 * Inverse of the standard normal CDF (Acklam's rational approximation, relative error below 1.2e-9).
 * `p` in (0, 1); returns -Infinity at 0 and Infinity at 1, NaN outside [0, 1].
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return Number.NaN;
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
    );
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}

/**
 * The Sharpe ratio the best of `trials` independent trials is expected to reach when every true Sharpe is
 * 0 and the estimates vary with variance `variance`: sqrt(V) ((1 - g) Z^-1(1 - 1/N) + g Z^-1(1 - 1/(N e))),
 * g the Euler-Mascheroni constant. In the units of the Sharpes whose variance is given (per period here).
 * 0 for a single trial, or when the variance is not a positive number.
 */
export function expectedMaxSharpe(trials: number, variance: number): number {
  if (!(trials > 1) || !(variance > 0)) return 0;
  return (
    Math.sqrt(variance) *
    ((1 - EULER_GAMMA) * normalQuantile(1 - 1 / trials) +
      EULER_GAMMA * normalQuantile(1 - 1 / (trials * Math.E)))
  );
}

/** The inputs and the result of a deflated Sharpe, as recorded with a trial. */
export interface DeflatedSharpe {
  /** Per-period Sharpe of the returns (not annualised); null when undefined. */
  readonly sharpePerPeriod: number | null;
  /** Number of trials the best was chosen from (this one included). */
  readonly trials: number;
  /** Variance of the per-period Sharpes across those trials (null when fewer than 2 were known). */
  readonly sharpeVariance: number | null;
  /** Expected maximum per-period Sharpe of `trials` trials of zero skill. */
  readonly expectedMaxSharpe: number;
  /** P(true Sharpe > expectedMaxSharpe), given the returns' length, skewness and kurtosis; null when undefined. */
  readonly dsr: number | null;
}

/**
 * Deflated Sharpe of `returns` (per-period simple returns), chosen as one of `trials` trials whose
 * per-period Sharpe estimates are `trialSharpes` (this one's included when known): the PSR against
 * `expectedMaxSharpe(trials, var(trialSharpes))`.
 */
export function deflatedSharpe(
  returns: ArrayLike<number>,
  trials: number,
  trialSharpes: readonly number[],
): DeflatedSharpe {
  const sd = sampleStd(returns);
  const sharpePerPeriod = sd > 0 ? mean(returns) / sd : null;
  const finite = trialSharpes.filter((s) => Number.isFinite(s));
  const sharpeVariance = finite.length >= 2 ? sampleStd(finite) ** 2 : null;
  const sr0 = expectedMaxSharpe(trials, sharpeVariance ?? 0);
  return {
    sharpePerPeriod,
    trials,
    sharpeVariance,
    expectedMaxSharpe: sr0,
    dsr: probabilisticSharpe(returns, sr0),
  };
}
