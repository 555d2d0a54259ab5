import { describe, expect, it } from 'vitest';
import type { WorkspaceStatus } from '../../runtime/workspace-status.js';
import { ago, renderPromotionCheck } from './status.js';

const rules = [
  { rule: 'minHours', threshold: 168, value: 171, passed: true },
  { rule: 'minExcessPct', threshold: 2, value: 2.184387834672108, passed: true },
  { rule: 'minSharpe', threshold: 0, value: 2.188586366698963, passed: true },
];

const status = (s: Partial<WorkspaceStatus>) => ({ candidate: null, arena: null, ...s }) as WorkspaceStatus;
const arena = (challengers: NonNullable<WorkspaceStatus['arena']>['challengers']) => ({
  members: 3,
  queued: 0,
  leader: 's/3',
  lastBarTs: null,
  evidence: [],
  challengers,
});

describe('promote --check', () => {
  it('shows the candidate with every rule it passed', () => {
    const text = renderPromotionCheck(
      status({ candidate: { modelId: 's/3', excessReturnPct: 2.184, hours: 171, rules } }),
    );
    expect(text).toBe(
      [
        'candidate s/3: +2.18 pp over the paper trader in 171 h; the deployer decides on its next cycle',
        '  passed  minHours 171 vs 168',
        '  passed  minExcessPct 2.184 vs 2',
        '  passed  minSharpe 2.189 vs 0',
        '',
      ].join('\n'),
    );
  });

  it("without a candidate, shows what each challenger fails, from the gate's stored verdict", () => {
    const failing = [
      { ...rules[0]!, value: 40, passed: false },
      rules[1]!,
      { ...rules[2]!, value: null, passed: false },
    ];
    const text = renderPromotionCheck(
      status({
        arena: arena([
          { modelId: 's/3', status: 'evaluating', hours: 40, gate: { qualifies: false, rules: failing } },
          { modelId: 's/4', status: 'evaluating', hours: 0, gate: null },
        ]),
      }),
    );
    expect(text).toBe(
      [
        'no promotion candidate',
        '  s/3 (evaluating, 40 h): failed: minHours 40 vs 168, minSharpe n/a vs 0',
        '  s/4 (evaluating, 0 h): not judged yet',
        '',
      ].join('\n'),
    );
  });
});

describe('ages', () => {
  it('are whole seconds and never negative', () => {
    expect(ago(-0.4)).toBe('0 s ago');
    expect(ago(-3)).toBe('0 s ago');
    expect(ago(59.6)).toBe('60 s ago');
  });
});
