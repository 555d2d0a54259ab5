import { describe, expect, it } from 'vitest';
import { type HistoryEntry, HistoryEntrySchema } from '../../lifecycle/deployer/index.js';
import { buildDailySummary, countDecisions, isSummaryDue, lastScheduledSummaryMs } from './daily-summary.js';
import { describeEvent } from './message.js';
import { NotificationSchema } from './notification.js';

const H = 3_600_000;
const DAY = Date.UTC(2024, 2, 2);

describe('buildDailySummary', () => {
  it('computes the 24 h return and keys the summary by date', () => {
    const n = buildDailySummary({
      ts: DAY + 8 * H,
      equity: 10_123,
      equityDayAgo: 10_000,
      deployed: { modelId: 's1/42', trainingScore: 1.2 },
      arenaLeader: { modelId: 's1/30', hours: 170, returnPct: 4.2, excessReturnPct: 3.1 },
      deployments: 2,
      promotions: 1,
    });
    expect(n).toMatchObject({
      kind: 'daily-summary',
      severity: 'info',
      date: '2024-03-02',
      dedupeKey: 'daily-summary:2024-03-02',
      deployedModelId: 's1/42',
      refusals: 0,
    });
    expect(n.returnPct24h).toBeCloseTo(1.23, 12);
    expect(NotificationSchema.safeParse(n).success).toBe(true);
    expect(describeEvent(n).title).toBe('Daily summary 2024-03-02: equity 10,123.00 (+1.23 % in 24 h)');
  });

  it('has no return without yesterday, and says so', () => {
    const n = buildDailySummary({
      ts: DAY,
      equity: 10_000,
      equityDayAgo: null,
      deployed: null,
      arenaLeader: null,
      deployments: 0,
      promotions: 0,
    });
    expect(n.returnPct24h).toBeNull();
    const fields = Object.fromEntries(describeEvent(n).fields.map((f) => [f.name, f.value]));
    expect(fields).toMatchObject({ '24 h return': 'n/a', 'Deployed model': 'none', 'Arena leader': 'none' });
  });
});

describe('countDecisions', () => {
  it('counts deployments (deploy, manual), promotions and refusals in [since, until)', () => {
    const line = (cycleTs: number, action: HistoryEntry['action'], details: unknown) =>
      HistoryEntrySchema.parse({
        cycleTs,
        at: '',
        action,
        modelId: 'm',
        trialNumber: 1,
        reason: '',
        details,
      });
    const check = {
      modelId: 'm',
      trialNumber: 1,
      hours: 170,
      returnPct: 3,
      paperReturnPct: 0,
      excessReturnPct: 3,
      sharpe: 1,
      windowStart: '',
      windowStartTs: null,
      psr: null,
      maxDrawdownPct: null,
      rules: [{ rule: 'minHours', threshold: 168, value: 170, passed: true }],
      qualifies: true,
    };
    const request = (status: string, request: string) => ({
      requestId: 'r',
      request,
      status,
      requestedBy: 'api',
      requestedAt: '',
      operatorReason: '',
    });
    const details = {
      deploy: {
        candidateScore: 1,
        deployedScore: null,
        rescoredDeployedScore: null,
        margin: 0,
        replaced: null,
      },
      manual: request('applied', 'promote'),
      promote: { ...check, replaced: null },
      refuse: check,
      skip: { candidateScore: 1, deployedScore: 2, rescoredDeployedScore: null, margin: 0 },
    };
    const e = (cycleTs: number, action: keyof typeof details) => line(cycleTs, action, details[action]);
    const entries = [
      e(DAY - 1, 'deploy'),
      e(DAY, 'deploy'),
      e(DAY + H, 'manual'),
      e(DAY + 2 * H, 'promote'),
      e(DAY + 3 * H, 'refuse'),
      e(DAY + 4 * H, 'skip'),
      // an operator request that swapped nothing is no deployment
      line(DAY + 5 * H, 'manual', request('applied', 'pause')),
      line(DAY + 6 * H, 'manual', request('refused', 'rollback')),
      e(DAY + 24 * H, 'promote'),
    ];
    expect(countDecisions(entries, DAY, DAY + 24 * H)).toEqual({
      deployments: 2,
      promotions: 1,
      refusals: 1,
    });
  });
});

describe('isSummaryDue', () => {
  it('is due once the hour has passed and the last summary is older than it', () => {
    expect(lastScheduledSummaryMs(DAY + 7 * H, 8)).toBe(DAY - 16 * H);
    expect(lastScheduledSummaryMs(DAY + 8 * H, 8)).toBe(DAY + 8 * H);
    expect(isSummaryDue(DAY - 16 * H, DAY + 7 * H, 8)).toBe(false);
    expect(isSummaryDue(DAY - 16 * H, DAY + 8 * H, 8)).toBe(true);
    expect(isSummaryDue(DAY + 8 * H, DAY + 9 * H, 8)).toBe(false);
    // Down over the scheduled hour: sent late, once.
    expect(isSummaryDue(DAY - 16 * H, DAY + 15 * H, 8)).toBe(true);
  });

  it('never sent: only within the hour after the scheduled time (no summary at start-up)', () => {
    expect(isSummaryDue(null, DAY + 8 * H, 8)).toBe(true);
    expect(isSummaryDue(null, DAY + 8 * H + 59 * 60_000, 8)).toBe(true);
    expect(isSummaryDue(null, DAY + 15 * H, 8)).toBe(false);
    expect(isSummaryDue(null, DAY, 0)).toBe(true);
  });
});
