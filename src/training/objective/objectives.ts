// The objectives a study can maximise: what each validation fold contributes to the training score.
import { z } from 'zod';

export const OBJECTIVES = ['excess-sharpe', 'sharpe', 'sortino', 'calmar', 'return'] as const;
export const ObjectiveSchema = z.enum(OBJECTIVES);
export type Objective = z.infer<typeof ObjectiveSchema>;

/** What a fold measured, for the policy and for equal-weight buy-and-hold on the same bars. */
export interface FoldMeasures {
  /** Annualised ratios, 0 where undefined (no variance, no downside, no drawdown: e.g. all cash). */
  readonly sharpe: number;
  readonly benchmarkSharpe: number;
  readonly sortino: number;
  readonly calmar: number;
  /** Percent. */
  readonly returnPct: number;
  readonly benchmarkReturnPct: number;
}

/**
 * Per objective: the policy's value on a fold, and what is subtracted from it (the benchmark's value,
 * or 0). score = mean(own) - mean(benchmark) - spreadPenalty x std(own).
 */
export const OBJECTIVE_TERMS: Record<
  Objective,
  { own: (f: FoldMeasures) => number; benchmark: (f: FoldMeasures) => number; description: string }
> = {
  'excess-sharpe': {
    own: (f) => f.sharpe,
    benchmark: (f) => f.benchmarkSharpe,
    description: 'mean fold Sharpe minus equal-weight buy-and-hold Sharpe on the same folds',
  },
  sharpe: { own: (f) => f.sharpe, benchmark: () => 0, description: 'mean fold Sharpe' },
  sortino: { own: (f) => f.sortino, benchmark: () => 0, description: 'mean fold Sortino' },
  calmar: { own: (f) => f.calmar, benchmark: () => 0, description: 'mean fold Calmar (CAGR / max drawdown)' },
  return: { own: (f) => f.returnPct, benchmark: () => 0, description: 'mean fold return, percent' },
};
