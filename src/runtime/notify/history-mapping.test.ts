import { describe, expect, it } from 'vitest';
import { type HistoryEntry, HistoryEntrySchema } from '../../lifecycle/deployer/index.js';
import { historyNotification } from './history-mapping.js';
import { describeEvent } from './message.js';
import { NotificationSchema } from './notification.js';
import { SAMPLE_EVENTS } from './testing/sample-events.js';

const CYCLE = Date.UTC(2024, 2, 2, 7);
/** An entry as history.jsonl holds it (validated: details are the typed ones of its action). */
const entry = (
  e: Record<string, unknown> & { action: HistoryEntry['action']; details: unknown },
): HistoryEntry =>
  HistoryEntrySchema.parse({
    cycleTs: CYCLE,
    at: '2024-03-02T08:00:00.000Z',
    modelId: 's1/42',
    trialNumber: 42,
    reason: 'r',
    ...e,
  });
const scores = { candidateScore: 1.5, deployedScore: 1, rescoredDeployedScore: null, margin: 0 };

// The details decide.ts writes (see src/lifecycle/deployer/decide.ts): the arena check behind the sample
// promotion, whose numbers the notification carries.
const promotion = SAMPLE_EVENTS.promotion;
const { hours, returnPct, paperReturnPct, excessReturnPct, sharpe, windowStart } = promotion;
/** The arena's challenger, the model of the promote and refuse entries. */
const challenger = { modelId: promotion.modelId, trialNumber: promotion.trialNumber };
const check = {
  ...challenger,
  hours,
  returnPct,
  paperReturnPct,
  excessReturnPct,
  sharpe,
  windowStart,
  windowStartTs: Date.UTC(2024, 1, 24, 6),
  psr: 0.7,
  maxDrawdownPct: 4,
  rules: [
    { rule: 'minHours', threshold: 168, value: 170, passed: true },
    { rule: 'minExcessPct', threshold: 2, value: 1.53333, passed: false },
    { rule: 'minSharpe', threshold: 0, value: null, passed: false },
  ],
  qualifies: false,
};

describe('historyNotification', () => {
  it('deploy -> deployment with the scores it compared (the re-scored one when there is one)', () => {
    const n = historyNotification(
      entry({
        action: 'deploy',
        reason: 'training score 1.2345 beats deployed 0.9000 + margin 0.1',
        details: {
          candidateScore: 1.2345,
          deployedScore: 1.1,
          rescoredDeployedScore: 0.9,
          margin: 0.1,
          replaced: 's1/17',
        },
      }),
    );
    expect(n).toEqual({
      kind: 'deployment',
      severity: 'info',
      ts: Date.UTC(2024, 2, 2, 8),
      dedupeKey: `deployment:s1/42:${CYCLE}`,
      modelId: 's1/42',
      trialNumber: 42,
      trainingScore: 1.2345,
      source: 'training',
      previousModelId: 's1/17',
      previousScore: 0.9,
      margin: 0.1,
      members: null,
      reason: 'training score 1.2345 beats deployed 0.9000 + margin 0.1',
    });
    expect(describeEvent(n!).title).toBe('Deployed s1/42 (training score 1.23 > 0.90)');
    expect(NotificationSchema.safeParse(n).success).toBe(true);
  });

  it('first deployment, ensemble and manual deployments', () => {
    const first = historyNotification(
      entry({
        action: 'deploy',
        details: {
          candidateScore: 1.5,
          deployedScore: null,
          rescoredDeployedScore: null,
          margin: 0,
          replaced: null,
        },
      }),
    );
    expect(describeEvent(first!).title).toBe('Deployed s1/42 (training score 1.50, first deployment)');
    const ensemble = historyNotification(
      entry({
        action: 'deploy',
        modelId: '_ensembles/s1-1+s1-2',
        trialNumber: null,
        details: { members: ['s1/1', 's1/2'], meanScore: 0.75 },
      }),
    );
    expect(ensemble).toMatchObject({ source: 'ensemble', members: 2, trainingScore: 0.75 });
    expect(describeEvent(ensemble!).title).toBe(
      'Deployed an ensemble of 2 trials (mean training score 0.75)',
    );
    const request = {
      requestId: 'r1',
      request: 'promote',
      status: 'applied',
      requestedBy: 'api',
      requestedAt: '2024-03-02T07:30:00.000Z',
      operatorReason: '',
    };
    const manual = historyNotification(
      entry({ action: 'manual', details: { ...request, trainingScore: 0.5, replaced: 's1/3' } }),
    );
    expect(manual).toMatchObject({
      kind: 'deployment',
      source: 'manual',
      trainingScore: 0.5,
      previousModelId: 's1/3',
    });
    // a refused request deployed nothing, nor did a pause: no deployment notice
    expect(
      historyNotification(entry({ action: 'manual', details: { ...request, status: 'refused' } })),
    ).toBeNull();
    const pause = { ...request, request: 'pause', service: 'paper' };
    expect(historyNotification(entry({ action: 'manual', details: pause }))).toBeNull();
  });

  it('promote -> promotion with the arena numbers', () => {
    const n = historyNotification(
      entry({
        action: 'promote',
        ...challenger,
        reason: promotion.reason,
        details: {
          ...check,
          rules: check.rules.map((r) => ({ ...r, value: r.value ?? 1, passed: true })),
          qualifies: true,
          replaced: 's1/42',
        },
      }),
    );
    // every field, the dedupe key included (the sample's cycle is this entry's)
    expect(n).toEqual(promotion);
    expect(describeEvent(n!).title).toBe('Promoted s1/30 (+3.10 pp over paper in 170 h, Sharpe 1.20)');
  });

  it('refuse -> candidate-refused listing the failed rules', () => {
    const n = historyNotification(
      entry({
        action: 'refuse',
        ...challenger,
        reason: 'no longer qualifies',
        details: check,
      }),
    );
    expect(n).toMatchObject({
      kind: 'candidate-refused',
      severity: 'warning',
      failedRules: ['minExcessPct 1.533 vs 2', 'minSharpe n/a vs 0'],
      excessReturnPct: 3.1,
    });
    // The check's numbers as the entry holds them: null where the paper trader did not cover the window.
    const uncovered = { ...check, paperReturnPct: null, excessReturnPct: null };
    expect(historyNotification(entry({ action: 'refuse', details: uncovered }))).toMatchObject({
      hours: 170,
      excessReturnPct: null,
    });
  });

  it('skip and rescore say nothing, nor an entry about no model', () => {
    expect(historyNotification(entry({ action: 'skip', details: scores }))).toBeNull();
    const rescore = { recordedScore: 1, rescoredScore: 0.8, candidateScore: 1.5 };
    expect(historyNotification(entry({ action: 'rescore', details: rescore }))).toBeNull();
    const deploy = { ...scores, replaced: null };
    expect(historyNotification(entry({ action: 'deploy', modelId: null, details: deploy }))).toBeNull();
  });
});
