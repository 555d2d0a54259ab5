// Evaluates a policy on the walk-forward folds through the one simulator, fold by fold.
import { periodsPerYear } from '../../core/timeframe.js';
import type { MarketData } from '../../market/market-data.js';
import { computeMetrics, simpleReturns } from '../../metrics/index.js';
import { createEqualWeight, type Policy } from '../../models/index.js';
import { runSimulation, type SimConfig } from '../../sim/index.js';
import { type FoldResult, type ScoreBreakdown, scoreFolds } from './score.js';
import { type FrameRange, rangeIso, type WalkForwardConfig } from './windows.js';

export interface EvaluationResult extends ScoreBreakdown {
  readonly folds: readonly FoldResult[];
  /** The policy's per-bar returns of every fold run, in fold order (for the deflated Sharpe). */
  readonly returns: Float64Array;
  /** True when `afterFold` asked to stop early (pruning): score covers the folds run so far. */
  readonly stopped: boolean;
}

function foldRun(market: MarketData, policy: Policy, range: FrameRange, config: Readonly<SimConfig>) {
  const run = runSimulation(market, policy, config, range);
  return {
    metrics: computeMetrics(run.equity, periodsPerYear(market.timeframeMs), run.portfolio, run.invested),
    returns: simpleReturns(run.equity),
  };
}

/**
 * Fold `range` of the walk-forward: `policy` from a fresh portfolio (bars before the fold are its warm-up
 * history) and `benchmark` (equal-weight buy-and-hold) beside it. An undefined ratio (no variance, no
 * downside, no drawdown: e.g. all cash) counts as 0. Also returns the policy's per-bar returns.
 */
export function evaluateFold(
  market: MarketData,
  policy: Policy,
  benchmark: Policy,
  range: FrameRange,
  config: Readonly<SimConfig>,
): { fold: FoldResult; returns: Float64Array } {
  const own = foldRun(market, policy, range, config);
  const b = foldRun(market, benchmark, range, config).metrics;
  const m = own.metrics;
  const [from, to] = rangeIso(market, range);
  return {
    fold: {
      from,
      to,
      sharpe: m.sharpe ?? 0,
      benchmarkSharpe: b.sharpe ?? 0,
      sortino: m.sortino ?? 0,
      calmar: m.calmar ?? 0,
      returnPct: m.returnPct ?? 0,
      benchmarkReturnPct: b.returnPct ?? 0,
      maxDrawdownPct: m.maxDrawdownPct ?? 0,
      trades: m.trades,
    },
    returns: own.returns,
  };
}

/**
 * Runs the policy of each fold (`policyForFold(k)`: the same policy for rules, a model fitted on the
 * fold's training range for PPO) on that fold (see {@link evaluateFold}). After each fold
 * `afterFold(k, scoreSoFar)` may return true to stop (the median pruner's hook; it may be asynchronous,
 * e.g. to ask a shared study).
 */
export async function evaluateFolds(
  market: MarketData,
  policyForFold: (fold: number) => Policy,
  folds: readonly FrameRange[],
  config: Readonly<SimConfig>,
  walkForward: Pick<WalkForwardConfig, 'spreadPenalty' | 'objective'>,
  afterFold?: (fold: number, scoreSoFar: number) => boolean | Promise<boolean>,
): Promise<EvaluationResult> {
  const results: FoldResult[] = [];
  const returns: Float64Array[] = [];
  const benchmark = createEqualWeight(market.symbols);
  const score = () => scoreFolds(results, walkForward.objective, walkForward.spreadPenalty);
  let stopped = false;
  for (let k = 0; k < folds.length; k++) {
    const run = evaluateFold(market, policyForFold(k), benchmark, folds[k]!, config);
    results.push(run.fold);
    returns.push(run.returns);
    if (afterFold && (await afterFold(k, score().score)) && k + 1 < folds.length) {
      stopped = true;
      break;
    }
  }
  const pooled = new Float64Array(returns.reduce((s, r) => s + r.length, 0));
  let at = 0;
  for (const r of returns) {
    pooled.set(r, at);
    at += r.length;
  }
  return { ...score(), folds: results, returns: pooled, stopped };
}
