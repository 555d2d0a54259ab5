// The gate's statistical rule (pure): a sequential HAC test of each challenger's paired excess returns over
// the paper trader, corrected for the arena's challengers (Holm) and for looking every bar.
import { z } from 'zod';
import {
  barsToReach,
  crossingProbability,
  type ExcessSummary,
  holm,
  informationRatio,
  msprtLook,
  type SequentialLook,
  spendingBoundary,
  spendingLook,
} from '../../metrics/index.js';

export const ExcessTestConfigSchema = z.strictObject({
  /**
   * How the hourly looks are paid for: `spending` (O'Brien-Fleming-type alpha spending over a planned
   * horizon, the default), `msprt` (always-valid mixture SPRT, no horizon, less power at the horizon), or
   * `none` (a fixed-sample test at every look: its false promotion rate is far above alpha; kept to show why).
   */
  sequential: z.enum(['spending', 'msprt', 'none']).default('spending'),
  /** Across the challengers: `holm` (family = the arena's challenger slots) or `none`. */
  family: z.enum(['holm', 'none']).default('holm'),
  /** Family-wise false promotion rate the test allows per arena lifetime. */
  alpha: z.number().gt(0).lt(1).default(0.05),
  /** The spending design's horizon in hours; null = the arena's maxEvalHours. */
  horizonHours: z.number().gt(0).nullable().default(null),
  /** The mSPRT mixture's spread, as an annualised information ratio (it is most powerful near this). */
  msprtTauIr: z.number().gt(0).default(10),
});
export type ExcessTestConfig = z.infer<typeof ExcessTestConfigSchema>;

/** The design a look needs: the config resolved against the arena (horizon, family size, periods/year). */
export interface ExcessTestDesign {
  readonly config: ExcessTestConfig;
  /** Bars of the spending design's horizon. */
  readonly horizonBars: number;
  /** Hypotheses in the family: the arena's challenger slots (at least 1). */
  readonly familySize: number;
  readonly periodsPerYear: number;
  /** Hours per bar. */
  readonly hoursPerBar: number;
}

/**
 * The test's design in an arena: the horizon defaults to maxEvalHours, the family is the challenger slots.
 * Null when the gate has no test.
 */
export function excessTestDesign(
  arena: {
    readonly maxEvalHours: number;
    readonly maxChallengers: number;
    readonly gate: { readonly test: ExcessTestConfig | null };
  },
  timeframeMs: number,
  periodsPerYear: number,
): ExcessTestDesign | null {
  const config = arena.gate.test;
  if (config === null) return null;
  const hoursPerBar = timeframeMs / 3_600_000;
  return {
    config,
    horizonBars: Math.max(1, Math.round((config.horizonHours ?? arena.maxEvalHours) / hoursPerBar)),
    familySize: Math.max(1, arena.maxChallengers),
    periodsPerYear,
    hoursPerBar,
  };
}

/** One look of the test at a per-challenger level. */
export function lookAt(
  design: ExcessTestDesign,
  statistic: number,
  n: number,
  level: number,
): SequentialLook {
  const c = design.config;
  if (c.sequential === 'spending') return spendingLook(statistic, n, design.horizonBars, level);
  if (c.sequential === 'msprt')
    return msprtLook(statistic, n, (c.msprtTauIr / Math.sqrt(design.periodsPerYear)) ** 2, level);
  // a fixed-sample one-sided look: P(Z >= z) against the level, every bar
  const boundary = fixedBoundary(level);
  return { statistic, boundary, pValue: statistic <= 0 ? 1 : oneSidedP(statistic) };
}

function fixedBoundary(level: number): number {
  // one-sided z at `level` = the two-sided spending boundary at 2 x level
  return spendingBoundary(2 * level);
}

function oneSidedP(z: number): number {
  // 1 - Phi(z) = the spending p-value at s = 1, halved
  return spendingLook(z, 1, 1, 0.05).pValue / 2;
}

/** The statistical rule's evidence for one challenger: what the candidate file, logs and screens show. */
export interface ExcessEvidence {
  /** e.g. "HAC t (Newey-West, lag 7), O'Brien-Fleming spending over 1344 h, Holm over 9 challengers". */
  readonly method: string;
  readonly bars: number;
  /** The HAC t-statistic of the mean excess return; null when undefined (no variance, < 2 bars). */
  readonly statistic: number | null;
  /** The t-statistic required now at this challenger's level (null: never within the design). */
  readonly boundary: number | null;
  /** Sequential p-value now (see SequentialLook.pValue). */
  readonly pValue: number;
  /** The level it is compared with: alpha after the family correction (Holm: alpha / (m - rank + 1)). */
  readonly level: number;
  readonly alpha: number;
  readonly rank: number;
  readonly familySize: number;
  readonly lag: number;
  /** Annualised IR of the excess returns with its 95 % interval. */
  readonly ir: number | null;
  readonly irLower: number | null;
  readonly irUpper: number | null;
  /** Hours still needed, if the observed IR were the true one, for the expected statistic to reach the boundary. */
  readonly hoursToDecision: number | null;
  /** The spending horizon that would let the observed IR reach the boundary (expected), when it cannot now. */
  readonly horizonNeededHours: number | null;
  /** Whether the rule passed (Holm: this one and every smaller p-value rejected). */
  readonly passed: boolean;
}

/** A challenger's excess series as the family step needs it. */
export interface ExcessInput {
  readonly summary: ExcessSummary | null;
}

/**
 * Evaluates the rule for every challenger of a frame at once: a look each, then the family correction
 * (Holm over `familySize` slots, absent slots never rejected) on the sequential p-values. A challenger
 * without a summary (its window is not covered by the paper trader) gets p = 1 and cannot pass.
 */
export function evaluateExcessTests(
  design: ExcessTestDesign,
  inputs: readonly ExcessInput[],
  { explain = true }: { readonly explain?: boolean } = {},
): ExcessEvidence[] {
  const { config } = design;
  const looks = inputs.map(({ summary }) =>
    summary?.tStat == null ? null : lookAt(design, summary.tStat, summary.n, config.alpha),
  );
  const pValues = looks.map((l) => l?.pValue ?? 1);
  const family =
    config.family === 'holm'
      ? holm(pValues, config.alpha, Math.max(design.familySize, inputs.length))
      : pValues.map((p) => ({ threshold: config.alpha, rejected: p <= config.alpha, rank: 1 }));
  return inputs.map(({ summary }, i) => {
    const f = family[i]!;
    const n = summary?.n ?? 0;
    const valid = summary?.tStat != null;
    if (!explain) return verdictOnly(valid && f.rejected, pValues[i]!, f.threshold, f.rank, n);
    const look = valid ? lookAt(design, summary!.tStat!, n, f.threshold) : null;
    // the explanation (IR interval, hours to a decision) never changes the verdict
    const ir = summary ? informationRatio(summary, design.periodsPerYear) : null;
    const toDecision = ir?.ir != null ? decisionHours(design, ir.ir, n, f.threshold) : null;
    return {
      method: describeDesign(design, summary?.lag ?? 0),
      bars: n,
      statistic: summary?.tStat ?? null,
      boundary: look && Number.isFinite(look.boundary) ? look.boundary : null,
      pValue: pValues[i]!,
      level: f.threshold,
      alpha: config.alpha,
      rank: f.rank,
      familySize: config.family === 'holm' ? Math.max(design.familySize, inputs.length) : 1,
      lag: summary?.lag ?? 0,
      ir: ir?.ir ?? null,
      irLower: ir?.lower ?? null,
      irUpper: ir?.upper ?? null,
      hoursToDecision: toDecision?.hours ?? null,
      horizonNeededHours: toDecision?.horizon ?? null,
      passed: valid && f.rejected,
    };
  });
}

/** The verdict without its explanation (the gate study's hot loop): the same `passed`, level and p-value. */
function verdictOnly(
  passed: boolean,
  pValue: number,
  level: number,
  rank: number,
  bars: number,
): ExcessEvidence {
  return {
    method: '',
    bars,
    statistic: null,
    boundary: null,
    pValue,
    level,
    alpha: level,
    rank,
    familySize: 0,
    lag: 0,
    ir: null,
    irLower: null,
    irUpper: null,
    hoursToDecision: null,
    horizonNeededHours: null,
    passed,
  };
}

/** "HAC t (Newey-West, lag L), <sequential>, <family>": the correction in words, for every screen. */
export function describeDesign(design: ExcessTestDesign, lag: number): string {
  const c = design.config;
  const seq =
    c.sequential === 'spending'
      ? `O'Brien-Fleming-type alpha spending over ${design.horizonBars * design.hoursPerBar} h`
      : c.sequential === 'msprt'
        ? `always-valid mSPRT (mixture IR ${c.msprtTauIr})`
        : 'no correction for hourly looks';
  const fam =
    c.family === 'holm'
      ? `Holm over ${design.familySize} challengers`
      : 'no correction for several challengers';
  return `HAC t (Newey-West, lag ${lag}), ${seq}, ${fam}, alpha ${c.alpha}`;
}

/**
 * If the observed IR were true: the hours until the expected statistic reaches the boundary at `level`
 * (about even odds of a decision by then), from now; past the spending horizon, null hours and the
 * horizon that would be needed instead. Null for a non-positive IR (never).
 */
function decisionHours(
  design: ExcessTestDesign,
  irAnnual: number,
  n: number,
  level: number,
): { hours: number | null; horizon: number | null } | null {
  if (!(irAnnual > 0)) return null;
  const irPerBar = irAnnual / Math.sqrt(design.periodsPerYear);
  const maxBars = design.config.sequential === 'spending' ? design.horizonBars : 100 * design.horizonBars;
  const bars = barsToReach(irPerBar, (k) => lookAt(design, 0, k, level).boundary, maxBars);
  if (bars !== null) return { hours: Math.max(0, bars - n) * design.hoursPerBar, horizon: null };
  if (design.config.sequential !== 'spending') return { hours: null, horizon: null };
  // expected B at the horizon T' = irPerBar sqrt(T') reaches c when T' = (c / irPerBar)^2
  const c = spendingBoundary(level);
  return { hours: null, horizon: Math.ceil((c / irPerBar) ** 2) * design.hoursPerBar };
}

/**
 * Power of the spending design (horizon `horizonBars`) to promote a challenger whose excess returns have
 * annualised IR `ir` (no autocorrelation), at the first Holm level alpha / familySize: the crossing
 * probability of a Brownian motion with drift irPerBar sqrt(T). Tested against the gate study's numbers.
 */
export function spendingPower(
  ir: number,
  horizonBars: number,
  periodsPerYear: number,
  level: number,
): number {
  const drift = (ir / Math.sqrt(periodsPerYear)) * Math.sqrt(horizonBars);
  return crossingProbability(drift, spendingBoundary(level));
}

/**
 * The shortest spending horizon (bars) with at least `power` (default 0.8) to promote an edge of
 * annualised IR `targetIr` at level alpha / familySize: what `gate.targetIr` recommends as arena life.
 */
export function recommendedHorizonBars(
  targetIr: number,
  periodsPerYear: number,
  level: number,
  power = 0.8,
): number {
  let lo = 1;
  let hi = 1;
  while (spendingPower(targetIr, hi, periodsPerYear, level) < power) hi *= 2;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (spendingPower(targetIr, mid, periodsPerYear, level) >= power) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** What `gate.targetIr` recommends for an arena (null without a target or without the spending test). */
export interface ArenaLifeAdvice {
  readonly targetIr: number;
  /** Shortest horizon (hours) with 80 % power to promote an edge of targetIr. */
  readonly recommendedHours: number;
  /** Power the configured horizon has for targetIr. */
  readonly powerAtConfigured: number;
  readonly configuredHours: number;
  /** A warning when maxEvalHours (the horizon) is shorter than recommended, else null. */
  readonly warning: string | null;
}

/**
 * The recommendation `promote --check` prints: from the spending design's power curve (closed form,
 * checked against the gate study), the arena life that gives 80 % power for `gate.targetIr`.
 */
export function arenaLifeAdvice(
  design: ExcessTestDesign | null,
  targetIr: number | null,
): ArenaLifeAdvice | null {
  if (design === null || targetIr === null || design.config.sequential !== 'spending') return null;
  const level =
    design.config.family === 'holm' ? design.config.alpha / design.familySize : design.config.alpha;
  const recommendedHours =
    recommendedHorizonBars(targetIr, design.periodsPerYear, level) * design.hoursPerBar;
  const configuredHours = design.horizonBars * design.hoursPerBar;
  const powerAtConfigured = spendingPower(targetIr, design.horizonBars, design.periodsPerYear, level);
  return {
    targetIr,
    recommendedHours,
    powerAtConfigured,
    configuredHours,
    warning:
      configuredHours < recommendedHours
        ? `the test's horizon (${configuredHours} h, maxEvalHours unless gate.test.horizonHours) is shorter than the ${recommendedHours} h it needs for 80 % power at IR ${targetIr}: its power there is ${(powerAtConfigured * 100).toFixed(0)} %`
        : null,
  };
}
