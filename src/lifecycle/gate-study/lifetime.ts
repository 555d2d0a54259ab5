// One arena lifetime of the gate study: a paper trader and its challengers' equity curves, judged frame by
// frame by the product's gate (evaluateExcessTests, evaluateGate, pickCandidate), once per configuration.
import { ExcessAccumulator, type ExcessSummary, neweyWestLag } from '../../metrics/index.js';
import { type ExcessTestDesign, evaluateExcessTests, excessTestDesign } from '../arena/excess-test.js';
import { evaluateGate, mayQualify, pickCandidate, type WindowMetrics, windowMetrics } from '../arena/gate.js';
import type { PromotionCheck } from '../promotion-check.js';
import type { StudyGate } from './configs.js';

/** The first promotion of a lifetime under one configuration: when and whom (challenger index), or none. */
export interface LifetimeOutcome {
  readonly hours: number | null;
  readonly challenger: number | null;
}

export interface LifetimeShape {
  /** Hours per bar (1 for hourly bars). */
  readonly hoursPerBar: number;
  readonly periodsPerYear: number;
  /** The arena's challenger slots (the test's family) and its maxEvalHours (the spending horizon). */
  readonly maxChallengers: number;
  readonly maxEvalHours: number;
}

/** The test designs of the configurations for this shape (null where a gate has no test). */
export function designsOf(gates: readonly StudyGate[], shape: LifetimeShape): (ExcessTestDesign | null)[] {
  return gates.map((g) =>
    excessTestDesign(
      { maxEvalHours: shape.maxEvalHours, maxChallengers: shape.maxChallengers, gate: g.gate },
      shape.hoursPerBar * 3_600_000,
      shape.periodsPerYear,
    ),
  );
}

/**
 * Steps the lifetime: at each frame h (1..bars) every challenger's paired excess return (its return minus
 * the paper trader's on the same bar) is pushed into its accumulator, as the arena does; then, for every
 * configuration not yet decided, the gate of the arena runs: the statistical rule for all challengers at
 * once (family correction), the rules of each challenger that may qualify, and the candidate pick. The
 * first frame with a candidate is that configuration's promotion. Window metrics are computed once per
 * challenger and frame, shared by the configurations (they do not depend on the gate).
 */
export function runLifetime(
  paper: Float64Array,
  challengers: readonly Float64Array[],
  gates: readonly StudyGate[],
  designs: readonly (ExcessTestDesign | null)[],
  shape: LifetimeShape,
): LifetimeOutcome[] {
  const bars = paper.length - 1;
  const k = challengers.length;
  const maxLag = neweyWestLag(bars);
  const acc = challengers.map(() => new ExcessAccumulator(maxLag));
  const outcomes: (LifetimeOutcome | null)[] = gates.map(() => null);
  const minHours = Math.min(...gates.map((g) => g.gate.minHours));
  const metricsCache: (WindowMetrics | null)[] = new Array(k).fill(null);
  const summaries: (ExcessSummary | null)[] = new Array(k).fill(null);
  let open = gates.length;
  for (let h = 1; h <= bars && open > 0; h++) {
    const paperStep = paper[h]! / paper[h - 1]! - 1;
    for (let i = 0; i < k; i++) acc[i]!.push(challengers[i]![h]! / challengers[i]![h - 1]! - 1 - paperStep);
    const hours = h * shape.hoursPerBar;
    if (hours < minHours) continue;
    const paperReturnPct = (paper[h]! / paper[0]! - 1) * 100;
    for (let i = 0; i < k; i++) {
      summaries[i] = acc[i]!.summary();
      metricsCache[i] = null;
    }
    gates.forEach((g, gi) => {
      if (outcomes[gi] !== null) return;
      const design = designs[gi] ?? null;
      const evidence = design
        ? evaluateExcessTests(
            design,
            summaries.map((summary) => ({ summary })),
            { explain: false },
          )
        : null;
      const checks: PromotionCheck[] = [];
      for (let i = 0; i < k; i++) {
        const c = challengers[i]!;
        const returnPct = (c[h]! / c[0]! - 1) * 100;
        if (!mayQualify(g.gate, { hours, returnPct, paperReturnPct })) continue;
        if (evidence && !evidence[i]!.passed) continue; // it would fail the rule: skip the window metrics
        metricsCache[i] ??= windowMetrics(c.subarray(0, h + 1), shape.periodsPerYear);
        checks.push(
          evaluateGate({
            modelId: String(i),
            trialNumber: i,
            hours,
            windowStartTs: 0,
            metrics: metricsCache[i]!,
            paperReturnPct,
            gate: g.gate,
            excess: evidence?.[i] ?? null,
          }),
        );
      }
      const best = pickCandidate(checks);
      if (best) {
        outcomes[gi] = { hours, challenger: Number(best.modelId) };
        open--;
      }
    });
  }
  return outcomes.map((o) => o ?? { hours: null, challenger: null });
}
