// The training score: mean validation Sharpe over the folds, minus equal-weight buy-and-hold's on the same
// folds, minus a penalty on the spread of the policy's fold Sharpes.
import { mean, sampleStd } from '../../metrics/index.js';

export interface FoldResult {
  readonly from: string;
  readonly to: string;
  /** Annualised Sharpe of the policy on the fold (0 when undefined: no variance, e.g. all cash). */
  readonly sharpe: number;
  readonly benchmarkSharpe: number;
  readonly returnPct: number;
  readonly benchmarkReturnPct: number;
  readonly trades: number;
}

export interface ScoreBreakdown {
  readonly score: number;
  readonly meanSharpe: number;
  readonly meanBenchmarkSharpe: number;
  /** Sample standard deviation of the policy's fold Sharpes (0 with one fold). */
  readonly spread: number;
}

/** score = mean(sharpe) - mean(benchmarkSharpe) - spreadPenalty x std(sharpe). */
export function scoreFolds(folds: readonly FoldResult[], spreadPenalty: number): ScoreBreakdown {
  const sharpes = folds.map((f) => f.sharpe);
  const meanSharpe = mean(sharpes);
  const meanBenchmarkSharpe = mean(folds.map((f) => f.benchmarkSharpe));
  const spread = sharpes.length > 1 ? sampleStd(sharpes) : 0;
  return {
    score: meanSharpe - meanBenchmarkSharpe - spreadPenalty * spread,
    meanSharpe,
    meanBenchmarkSharpe,
    spread,
  };
}
