import { describe, expect, it } from 'vitest';
import type { ArenaState, MemberState } from '../lifecycle/arena/index.js';
import type { GateVerdict } from '../lifecycle/promotion-check.js';
import { leaderRows } from './leaderboard-rows.js';

const metrics = (excess: number | null, sharpe: number | null) => ({
  returnPct: excess,
  paperReturnPct: 0,
  excessReturnPct: excess,
  sharpe,
  sortino: null,
  maxDrawdownPct: 1,
  psr: 0.4,
  trades: 3,
  refusedSteps: 0,
});

const member = (
  modelId: string,
  status: string,
  hours: number,
  m: ReturnType<typeof metrics>,
  gate: GateVerdict | null,
  role = 'challenger',
) => ({ modelId, trialNumber: 1, role, status, hours, metrics: m, gate }) as unknown as MemberState;

// What the arena stored for b: every main rule holds but the optional PSR rule does not.
const blockedByPsr: GateVerdict = {
  qualifies: false,
  rules: [
    { rule: 'minHours', threshold: 168, value: 200, passed: true },
    { rule: 'minExcessPct', threshold: 2, value: 3, passed: true },
    { rule: 'minSharpe', threshold: 0, value: 1.2, passed: true },
    { rule: 'minPsr', threshold: 0.95, value: 0.4, passed: false },
  ],
};

describe('leaderRows', () => {
  it("ranks active members by excess return and shows each one's stored verdict, every rule of it", () => {
    const arena = {
      models: [
        member('a', 'evaluating', 10, metrics(1, 0.5), null),
        member('b', 'evaluating', 200, metrics(3, 1.2), blockedByPsr),
        member('c', 'expired', 400, metrics(9, 2), null),
        member('d', 'evaluating', 168, metrics(null, null), null, 'champion-shadow'),
      ],
    } as unknown as ArenaState;
    const rows = leaderRows(arena);
    expect(rows.map((r) => [r.rank, r.modelId])).toEqual([
      [1, 'b'],
      [2, 'a'],
      [3, 'd'],
    ]);
    // The PSR rule the gate blocks on is on the page as failed, never shown as passed.
    expect(rows[0]!.gate).toEqual(blockedByPsr);
    expect(rows[1]!.gate).toBeNull();
    expect(rows[2]!.gate).toBeNull();
    expect(leaderRows(null)).toEqual([]);
  });

  it('reads a file written before verdicts were stored as no verdict', () => {
    const old = { ...member('a', 'evaluating', 10, metrics(1, 0.5), null) } as Record<string, unknown>;
    delete old['gate'];
    const rows = leaderRows({ models: [old] } as unknown as ArenaState);
    expect(rows[0]!.gate).toBeNull();
  });
});
