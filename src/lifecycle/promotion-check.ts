// The promotion gate's verdict as data: every rule with its threshold, the value found and the result.
import { z } from 'zod';

export { describeFailures, failedRules, formatRule } from './rule-format.js';

const finite = z.number().finite();

/**
 * Extra evidence a rule may carry beside its value (e.g. a test's statistic, p-value and the correction
 * applied across challengers): flat JSON values, stored, shown and rendered as they are.
 */
export const RuleDetailSchema = z.record(z.string(), z.union([finite, z.string(), z.boolean(), z.null()]));
export type RuleDetail = z.infer<typeof RuleDetailSchema>;

/** One rule of the gate: its name, the configured threshold, the value found (null: undefined) and the result. */
export const RuleResultSchema = z.strictObject({
  rule: z.string().min(1),
  threshold: finite,
  value: finite.nullable(),
  passed: z.boolean(),
  detail: RuleDetailSchema.optional(),
});
export type RuleResult = z.infer<typeof RuleResultSchema>;

/** Whether every rule passed: what `qualifies` must say (checked when a stored verdict is read). */
export function allPassed(rules: readonly RuleResult[]): boolean {
  return rules.every((r) => r.passed);
}

const qualifiesMatches = (v: { qualifies: boolean; rules: readonly RuleResult[] }) =>
  v.qualifies === allPassed(v.rules);
const qualifiesMessage = { message: 'must be true exactly when every rule passed', path: ['qualifies'] };

/** The gate's verdict on a challenger at one frame, as stored per member in arena_state.json. */
export const GateVerdictSchema = z
  .strictObject({ qualifies: z.boolean(), rules: z.array(RuleResultSchema).min(1) })
  .refine(qualifiesMatches, qualifiesMessage);
export type GateVerdict = z.infer<typeof GateVerdictSchema>;

/** The fields of a PromotionCheck, in the order files hold them. */
export const promotionCheckShape = {
  modelId: z.string().min(1),
  trialNumber: z.number().int().min(0).nullable(),
  /** Frames applied x timeframe. */
  hours: finite.min(0),
  /** Return over the window in percent (0 before the first frame). */
  returnPct: finite,
  paperReturnPct: finite.nullable(),
  /** returnPct - paperReturnPct, in percentage points. */
  excessReturnPct: finite.nullable(),
  sharpe: finite.nullable(),
  /** ISO time of the window's first frame ('' before it has one) and the same in epoch ms. */
  windowStart: z.string(),
  windowStartTs: finite.nullable(),
  psr: finite.nullable(),
  maxDrawdownPct: finite.nullable(),
  rules: z.array(RuleResultSchema),
  qualifies: z.boolean(),
};
/**
 * A challenger's promotion check at one frame: its window numbers and the gate's verdict. Computed once
 * per frame by the arena; the candidate file, the deployer, history entries, notifications, `status`,
 * `promote --check` and the dashboard read it. `paperReturnPct`/`excessReturnPct` are null when the paper
 * trader does not cover the window (then the challenger cannot qualify).
 */
export const PromotionCheckSchema = z
  .strictObject(promotionCheckShape)
  .refine(qualifiesMatches, qualifiesMessage);
export type PromotionCheck = z.infer<typeof PromotionCheckSchema>;

/** The verdict part of a check (what arena_state.json stores beside the member's own numbers). */
export function verdictOf(check: PromotionCheck): GateVerdict {
  return { qualifies: check.qualifies, rules: check.rules.map((r) => ({ ...r })) };
}
