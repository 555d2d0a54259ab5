// The training score: the objective's mean over the validation folds, minus the benchmark's where the
// objective compares with one, minus a penalty on the spread of the policy's fold values.
import { mean, sampleStd } from '../../metrics/index.js';
import { type FoldMeasures, OBJECTIVE_TERMS, type Objective } from './objectives.js';

export interface FoldResult extends FoldMeasures {
  readonly from: string;
  readonly to: string;
  readonly maxDrawdownPct: number;
  readonly trades: number;
}

export interface ScoreBreakdown {
  readonly score: number;
  readonly objective: Objective;
  /** Mean of the policy's fold values of the objective. */
  readonly mean: number;
  /** Mean of what is subtracted (equal weight's value for excess-sharpe, else 0). */
  readonly meanBenchmark: number;
  /** Sample standard deviation of the policy's fold values (0 with one fold). */
  readonly spread: number;
}

/** score = mean(own) - mean(benchmark) - spreadPenalty x std(own), per `OBJECTIVE_TERMS[objective]`. */
export function scoreFolds(
  folds: readonly FoldResult[],
  objective: Objective,
  spreadPenalty: number,
): ScoreBreakdown {
  const terms = OBJECTIVE_TERMS[objective];
  const own = folds.map(terms.own);
  const m = mean(own);
  const meanBenchmark = mean(folds.map(terms.benchmark));
  const spread = own.length > 1 ? sampleStd(own) : 0;
  return { score: m - meanBenchmark - spreadPenalty * spread, objective, mean: m, meanBenchmark, spread };
}
