// The promotion gate (pure): a challenger's window metrics vs the paper trader's return on the same window.
import { isoTs } from '../../market/market-data.js';
import {
  maxDrawdownPct,
  probabilisticSharpe,
  sharpeRatio,
  simpleReturns,
  sortinoRatio,
  totalReturnPct,
} from '../../metrics/index.js';
import type { PromotionCheck, RuleResult } from '../contracts.js';
import type { GateConfig } from './arena-config.js';

/** Metrics of one equity window (metrics module definitions); null where undefined. */
export interface WindowMetrics {
  readonly returnPct: number | null;
  readonly sharpe: number | null;
  readonly sortino: number | null;
  readonly maxDrawdownPct: number | null;
  readonly psr: number | null;
}

/** Metrics of `curve` (point 0 = equity before the window's first frame), annualised with `periodsPerYear`. */
export function windowMetrics(curve: Float64Array, periodsPerYear: number): WindowMetrics {
  const returns = simpleReturns(curve);
  return {
    returnPct: totalReturnPct(curve),
    sharpe: sharpeRatio(returns, periodsPerYear),
    sortino: sortinoRatio(returns, periodsPerYear),
    maxDrawdownPct: maxDrawdownPct(curve),
    psr: probabilisticSharpe(returns),
  };
}

export interface GateInput {
  readonly modelId: string;
  readonly trialNumber: number | null;
  /** Frames applied x timeframe, in hours. */
  readonly hours: number;
  /** ts of the window's first frame (the challenger's enteredAt); null before its first frame. */
  readonly windowStartTs: number | null;
  readonly metrics: WindowMetrics;
  /** The paper trader's return over the same window; null when it does not cover it. */
  readonly paperReturnPct: number | null;
  readonly gate: GateConfig;
}

/** A PromotionCheck plus the window's start ts and the optional rules' metrics. */
export interface ArenaPromotionCheck extends PromotionCheck {
  readonly windowStartTs: number | null;
  readonly psr: number | null;
  readonly maxDrawdownPct: number | null;
}

/**
 * Applies the gate: `minHours` (hours >= threshold), `minExcessPct` (returnPct - paperReturnPct >=
 * threshold, in pp), `minSharpe` (Sharpe > threshold), and when configured `minPsr` (PSR >= threshold) and
 * `maxDrawdownPct` (max drawdown <= threshold). A rule whose value is undefined (null) fails. When the paper
 * trader does not cover the window, paperReturnPct and excessReturnPct are NaN and the challenger cannot
 * qualify. Every rule is evaluated (and reported) even when an earlier one fails.
 */
export function evaluateGate(input: GateInput): ArenaPromotionCheck {
  const { gate, metrics } = input;
  const returnPct = metrics.returnPct ?? 0;
  const excess = input.paperReturnPct === null ? null : returnPct - input.paperReturnPct;
  const rules: RuleResult[] = [
    { rule: 'minHours', threshold: gate.minHours, value: input.hours, passed: input.hours >= gate.minHours },
    {
      rule: 'minExcessPct',
      threshold: gate.minExcessPct,
      value: excess,
      passed: excess !== null && excess >= gate.minExcessPct,
    },
    {
      rule: 'minSharpe',
      threshold: gate.minSharpe,
      value: metrics.sharpe,
      passed: metrics.sharpe !== null && metrics.sharpe > gate.minSharpe,
    },
  ];
  if (gate.minPsr !== null)
    rules.push({
      rule: 'minPsr',
      threshold: gate.minPsr,
      value: metrics.psr,
      passed: metrics.psr !== null && metrics.psr >= gate.minPsr,
    });
  if (gate.maxDrawdownPct !== null)
    rules.push({
      rule: 'maxDrawdownPct',
      threshold: gate.maxDrawdownPct,
      value: metrics.maxDrawdownPct,
      passed: metrics.maxDrawdownPct !== null && metrics.maxDrawdownPct <= gate.maxDrawdownPct,
    });
  return {
    modelId: input.modelId,
    trialNumber: input.trialNumber,
    hours: input.hours,
    returnPct,
    paperReturnPct: input.paperReturnPct ?? Number.NaN,
    excessReturnPct: excess ?? Number.NaN,
    sharpe: metrics.sharpe,
    windowStart: input.windowStartTs === null ? '' : isoTs(input.windowStartTs),
    windowStartTs: input.windowStartTs,
    psr: metrics.psr,
    maxDrawdownPct: metrics.maxDrawdownPct,
    rules,
    qualifies: rules.every((r) => r.passed),
  };
}

/** The best qualifying check by excess return (ties: longer window, then modelId), or null. */
export function pickCandidate<C extends PromotionCheck>(checks: readonly C[]): C | null {
  let best: C | null = null;
  for (const c of checks) {
    if (!c.qualifies) continue;
    if (
      best === null ||
      c.excessReturnPct > best.excessReturnPct ||
      (c.excessReturnPct === best.excessReturnPct &&
        (c.hours > best.hours || (c.hours === best.hours && c.modelId < best.modelId)))
    )
      best = c;
  }
  return best;
}

/** "all rules hold", or the failed rules with value and threshold, for logs and reasons. */
export function describeFailures(check: PromotionCheck): string {
  const failed = check.rules
    .filter((r) => !r.passed)
    .map((r) => `${r.rule} ${r.value === null ? 'n/a' : Number(r.value.toPrecision(4))} vs ${r.threshold}`);
  return failed.length === 0 ? 'all rules hold' : `failed: ${failed.join(', ')}`;
}
