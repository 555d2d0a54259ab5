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
import { allPassed, type PromotionCheck, type RuleResult } from '../promotion-check.js';
import type { GateConfig } from './arena-config.js';
import type { MemberState } from './arena-state.js';
import type { ExcessEvidence } from './excess-test.js';

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
  /** The statistical rule's verdict for this challenger (evaluateExcessTests), when gate.test is set. */
  readonly excess?: ExcessEvidence | null;
}

/** What the rules judge: the window's numbers (null where undefined). */
interface Evidence {
  readonly hours: number;
  readonly excessReturnPct: number | null;
  readonly sharpe: number | null;
  readonly psr: number | null;
  readonly maxDrawdownPct: number | null;
}

/**
 * One rule: its threshold in the config (null: the rule is off), the value it reads, the comparison.
 * `fromEnds`: the value needs only the window's first and last equity (no curve statistics), so the arena
 * can tell cheaply, frame by frame, whether a challenger could qualify at all (see mayQualify).
 */
interface Rule {
  readonly name: string;
  readonly threshold: (gate: GateConfig) => number | null;
  readonly value: (e: Evidence) => number | null;
  readonly passes: (value: number, threshold: number) => boolean;
  readonly fromEnds: boolean;
}

/** The gate, in the order rules are reported. A null value never passes. */
const RULES: readonly Rule[] = [
  {
    name: 'minHours',
    threshold: (g) => g.minHours,
    value: (e) => e.hours,
    passes: (v, t) => v >= t,
    fromEnds: true,
  },
  {
    name: 'minExcessPct',
    threshold: (g) => g.minExcessPct,
    value: (e) => e.excessReturnPct,
    passes: (v, t) => v >= t,
    fromEnds: true,
  },
  {
    name: 'minSharpe',
    threshold: (g) => g.minSharpe,
    value: (e) => e.sharpe,
    passes: (v, t) => v > t,
    fromEnds: false,
  },
  {
    name: 'minPsr',
    threshold: (g) => g.minPsr,
    value: (e) => e.psr,
    passes: (v, t) => v >= t,
    fromEnds: false,
  },
  {
    name: 'maxDrawdownPct',
    threshold: (g) => g.maxDrawdownPct,
    value: (e) => e.maxDrawdownPct,
    passes: (v, t) => v <= t,
    fromEnds: false,
  },
];

/** The rules whose value needs only the window's ends (see mayQualify). */
const FROM_ENDS = RULES.filter((r) => r.fromEnds);

function judge(rules: readonly Rule[], gate: GateConfig, evidence: Evidence): RuleResult[] {
  const results: RuleResult[] = [];
  for (const r of rules) {
    const threshold = r.threshold(gate);
    if (threshold === null) continue;
    const value = r.value(evidence);
    results.push({ rule: r.name, threshold, value, passed: value !== null && r.passes(value, threshold) });
  }
  return results;
}

/** The return over the window (0 when undefined, before a frame) minus the paper trader's, or null. */
function excessOf(returnPct: number | null, paperReturnPct: number | null): number | null {
  return paperReturnPct === null ? null : (returnPct ?? 0) - paperReturnPct;
}

/**
 * Applies the gate: `minHours` (hours >= threshold), `minExcessPct` (returnPct - paperReturnPct >=
 * threshold, in pp), `minSharpe` (Sharpe > threshold), and when configured `minPsr` (PSR >= threshold) and
 * `maxDrawdownPct` (max drawdown <= threshold). A rule whose value is undefined (null) fails. When the paper
 * trader does not cover the window, paperReturnPct and excessReturnPct are null and the challenger cannot
 * qualify. Every rule is evaluated (and reported) even when an earlier one fails.
 */
export function evaluateGate(input: GateInput): PromotionCheck {
  const { metrics } = input;
  const excess = excessOf(metrics.returnPct, input.paperReturnPct);
  const evidence: Evidence = {
    hours: input.hours,
    excessReturnPct: excess,
    sharpe: metrics.sharpe,
    psr: metrics.psr,
    maxDrawdownPct: metrics.maxDrawdownPct,
  };
  const rules = judge(RULES, input.gate, evidence);
  if (input.gate.test) rules.push(excessTestRule(input.gate.test.alpha, input.excess ?? null));
  return checkOf(input, excess, rules);
}

/** A check: a challenger's window numbers and the rules judged on them. */
function checkOf(
  w: Omit<GateInput, 'gate'>,
  excessReturnPct: number | null,
  rules: RuleResult[],
): PromotionCheck {
  return {
    modelId: w.modelId,
    trialNumber: w.trialNumber,
    hours: w.hours,
    returnPct: w.metrics.returnPct ?? 0,
    paperReturnPct: w.paperReturnPct,
    excessReturnPct,
    sharpe: w.metrics.sharpe,
    windowStart: w.windowStartTs === null ? '' : isoTs(w.windowStartTs),
    windowStartTs: w.windowStartTs,
    psr: w.metrics.psr,
    maxDrawdownPct: w.metrics.maxDrawdownPct,
    rules,
    qualifies: allPassed(rules),
  };
}

/**
 * The statistical rule as a rule record: value = the sequential p-value, threshold = its level after the
 * family correction, passed = Holm rejected it; the evidence (statistic, boundary, correction, IR interval,
 * hours to a decision) in its detail. Without evidence (the window is not covered) it fails.
 */
function excessTestRule(alpha: number, e: ExcessEvidence | null): RuleResult {
  if (e === null) return { rule: 'excessTest', threshold: alpha, value: null, passed: false };
  const { passed, pValue, level, ...detail } = e;
  return { rule: 'excessTest', threshold: level, value: pValue, passed, detail: { ...detail } };
}

/**
 * A member's check as arena_state.json holds it: its stored window numbers and the gate's stored verdict;
 * for a challenger of a file written before verdicts were stored, the gate (`gate`) applied to its stored
 * numbers. Null when there is none (the shadow, a challenger before its first frame).
 */
export function storedCheck(m: MemberState, gate: GateConfig): PromotionCheck | null {
  if (m.gate === null || (m.gate === undefined && (m.bars === 0 || m.role !== 'challenger'))) return null;
  const window = {
    modelId: m.modelId,
    trialNumber: m.trialNumber,
    hours: m.hours,
    windowStartTs: m.windowStartTs,
    metrics: m.metrics,
    paperReturnPct: m.metrics.paperReturnPct,
  };
  if (m.gate === undefined) return evaluateGate({ ...window, gate });
  return checkOf(window, m.metrics.excessReturnPct, m.gate.rules);
}

/**
 * Whether the rules that need only the window's ends (hours, excess return) hold: false means the
 * challenger cannot qualify at this frame, whatever its curve statistics, so they need not be computed.
 */
export function mayQualify(
  gate: GateConfig,
  window: { hours: number; returnPct: number | null; paperReturnPct: number | null },
): boolean {
  const evidence: Evidence = {
    hours: window.hours,
    excessReturnPct: excessOf(window.returnPct, window.paperReturnPct),
    sharpe: null,
    psr: null,
    maxDrawdownPct: null,
  };
  return allPassed(judge(FROM_ENDS, gate, evidence));
}

/** The best qualifying check by excess return (ties: longer window, then modelId), or null. */
export function pickCandidate(checks: readonly PromotionCheck[]): PromotionCheck | null {
  let best: PromotionCheck | null = null;
  for (const c of checks) {
    if (!c.qualifies || c.excessReturnPct === null) continue;
    if (
      best === null ||
      c.excessReturnPct > best.excessReturnPct! ||
      (c.excessReturnPct === best.excessReturnPct &&
        (c.hours > best.hours || (c.hours === best.hours && c.modelId < best.modelId)))
    )
      best = c;
  }
  return best;
}
