// The Deflated Sharpe Ratio (Bailey and Lopez de Prado, 2014): a PSR against the Sharpe the best of N
// trials would reach by luck alone.
import { mean, sampleStd } from './moments.js';
import { probabilisticSharpe } from './performance.js';
import { normalQuantile } from './sequential.js';

const EULER_GAMMA = 0.5772156649015329;

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
