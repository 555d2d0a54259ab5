import { describe, expect, it } from 'vitest';
import type { ArenaState } from '../lifecycle/arena/index.js';
import { GateConfigSchema } from '../lifecycle/arena/index.js';
import { leaderRows } from './leaderboard-rows.js';

const metrics = (excess: number | null, sharpe: number | null) => ({
  returnPct: excess,
  paperReturnPct: 0,
  excessReturnPct: excess,
  sharpe,
  sortino: null,
  maxDrawdownPct: 1,
  psr: null,
  trades: 3,
  refusedSteps: 0,
});

const member = (modelId: string, status: string, hours: number, m: ReturnType<typeof metrics>) =>
  ({
    modelId,
    trialNumber: 1,
    role: 'challenger',
    status,
    hours,
    metrics: m,
  }) as unknown as ArenaState['models'][number];

describe('leaderRows', () => {
  it('ranks active members by excess return and reports each rule against the gate', () => {
    const arena = {
      models: [
        member('a', 'evaluating', 10, metrics(1, 0.5)),
        member('b', 'qualified', 200, metrics(3, 1.2)),
        member('c', 'expired', 400, metrics(9, 2)),
        member('d', 'evaluating', 168, metrics(null, null)),
      ],
    } as unknown as ArenaState;
    const rows = leaderRows(arena, GateConfigSchema.parse({}));
    expect(rows.map((r) => [r.rank, r.modelId])).toEqual([
      [1, 'b'],
      [2, 'a'],
      [3, 'd'],
    ]);
    expect(rows[0]!.progress).toEqual({
      hours: { value: 200, threshold: 168, passed: true },
      excessReturnPct: { value: 3, threshold: 2, passed: true },
      sharpe: { value: 1.2, threshold: 0, passed: true },
    });
    expect(rows[2]!.progress).toEqual({
      hours: { value: 168, threshold: 168, passed: true },
      excessReturnPct: { value: null, threshold: 2, passed: false },
      sharpe: { value: null, threshold: 0, passed: false },
    });
    expect(leaderRows(null, GateConfigSchema.parse({}))).toEqual([]);
  });
});
