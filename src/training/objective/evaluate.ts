// Evaluates a policy on the walk-forward folds through the one simulator, fold by fold.
import { periodsPerYear } from '../../core/timeframe.js';
import type { MarketData } from '../../market/market-data.js';
import { computeMetrics } from '../../metrics/index.js';
import { createEqualWeight, type Policy } from '../../models/index.js';
import { runSimulation, type SimConfig } from '../../sim/index.js';
import { type FoldResult, type ScoreBreakdown, scoreFolds } from './score.js';
import { type FrameRange, rangeIso, type WalkForwardConfig } from './windows.js';

export interface EvaluationResult extends ScoreBreakdown {
  readonly folds: readonly FoldResult[];
  /** True when `afterFold` asked to stop early (pruning): score covers the folds run so far. */
  readonly stopped: boolean;
}

function foldMetrics(market: MarketData, policy: Policy, range: FrameRange, config: Readonly<SimConfig>) {
  const run = runSimulation(market, policy, config, range);
  return computeMetrics(run.equity, periodsPerYear(market.timeframeMs), run.portfolio, run.invested);
}

/**
 * Fold `range` of the walk-forward: `policy` from a fresh portfolio (bars before the fold are its warm-up
 * history) and `benchmark` (equal-weight buy-and-hold) beside it. An undefined Sharpe (no variance)
 * counts as 0.
 */
export function evaluateFold(
  market: MarketData,
  policy: Policy,
  benchmark: Policy,
  range: FrameRange,
  config: Readonly<SimConfig>,
): FoldResult {
  const m = foldMetrics(market, policy, range, config);
  const b = foldMetrics(market, benchmark, range, config);
  const [from, to] = rangeIso(market, range);
  return {
    from,
    to,
    sharpe: m.sharpe ?? 0,
    benchmarkSharpe: b.sharpe ?? 0,
    returnPct: m.returnPct ?? 0,
    benchmarkReturnPct: b.returnPct ?? 0,
    trades: m.trades,
  };
}

/**
 * Runs `policy` on each fold (see {@link evaluateFold}). After each fold `afterFold(k, scoreSoFar)` may
 * return true to stop (the median pruner's hook; it may be asynchronous, e.g. to ask a shared study).
 */
export async function evaluateFolds(
  market: MarketData,
  policy: Policy,
  folds: readonly FrameRange[],
  config: Readonly<SimConfig>,
  walkForward: Pick<WalkForwardConfig, 'spreadPenalty'>,
  afterFold?: (fold: number, scoreSoFar: number) => boolean | Promise<boolean>,
): Promise<EvaluationResult> {
  const results: FoldResult[] = [];
  const benchmark = createEqualWeight(market.symbols);
  let stopped = false;
  for (let k = 0; k < folds.length; k++) {
    results.push(evaluateFold(market, policy, benchmark, folds[k]!, config));
    if (
      afterFold &&
      (await afterFold(k, scoreFolds(results, walkForward.spreadPenalty).score)) &&
      k + 1 < folds.length
    ) {
      stopped = true;
      break;
    }
  }
  return { ...scoreFolds(results, walkForward.spreadPenalty), folds: results, stopped };
}
