import { describe, expect, it } from 'vitest';
import {
  describeFailures,
  failedRules,
  formatRule,
  GateVerdictSchema,
  PromotionCheckSchema,
  type RuleResult,
} from './promotion-check.js';

const rules: RuleResult[] = [
  { rule: 'minHours', threshold: 168, value: 336, passed: true },
  { rule: 'minExcessPct', threshold: 2, value: -3.860808522164949, passed: false },
  { rule: 'minSharpe', threshold: 0, value: null, passed: false },
];

describe('rules as text (one renderer)', () => {
  it('renders each rule as "rule value vs threshold" with 4 significant digits, n/a for null', () => {
    expect(rules.map(formatRule)).toEqual([
      'minHours 336 vs 168',
      'minExcessPct -3.861 vs 2',
      'minSharpe n/a vs 0',
    ]);
    expect(failedRules(rules)).toEqual(['minExcessPct -3.861 vs 2', 'minSharpe n/a vs 0']);
    expect(describeFailures(rules)).toBe('failed: minExcessPct -3.861 vs 2, minSharpe n/a vs 0');
    expect(describeFailures([rules[0]!])).toBe('all rules hold');
  });

  it("shows a rule's extra evidence after it, so a new statistical rule needs no new renderer", () => {
    const tested: RuleResult = {
      rule: 'maxPValue',
      threshold: 0.05,
      value: 0.0312345,
      passed: true,
      detail: { statistic: 2.154321, adjustedPValue: 0.0936, correction: 'holm', family: 3, hac: true },
    };
    expect(formatRule(tested)).toBe(
      'maxPValue 0.03123 vs 0.05 (statistic 2.154, adjustedPValue 0.0936, correction holm, family 3, hac true)',
    );
    expect(GateVerdictSchema.parse({ qualifies: true, rules: [tested] }).rules[0]!.detail).toEqual(
      tested.detail,
    );
  });
});

describe('stored verdicts and checks', () => {
  it('refuses a verdict whose "qualifies" disagrees with its rules, or without rules', () => {
    expect(GateVerdictSchema.safeParse({ qualifies: false, rules }).success).toBe(true);
    const bad = GateVerdictSchema.safeParse({ qualifies: true, rules });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]!.path).toEqual(['qualifies']);
    expect(GateVerdictSchema.safeParse({ qualifies: true, rules: [] }).success).toBe(false);
    expect(
      GateVerdictSchema.safeParse({ qualifies: true, rules: [{ ...rules[0], detail: { x: [1] } }] }).success,
    ).toBe(false);
  });

  it("reads a check as today's code writes it (null where the paper trader did not cover the window)", () => {
    const check = {
      modelId: 's/1',
      trialNumber: 1,
      hours: 170,
      returnPct: 1,
      paperReturnPct: null,
      excessReturnPct: null,
      sharpe: 0.5,
      windowStart: '2024-01-01T00:00:00.000Z',
      windowStartTs: 1_704_067_200_000,
      psr: null,
      maxDrawdownPct: 2,
      rules: [{ rule: 'minExcessPct', threshold: 2, value: null, passed: false }],
      qualifies: false,
    };
    expect(PromotionCheckSchema.parse(check)).toEqual(check);
    expect(PromotionCheckSchema.safeParse({ ...check, qualifies: true }).success).toBe(false);
  });
});
