import { describe, expect, it } from 'vitest';
import { describeEvent } from './message.js';
import { NOTIFICATION_KINDS, NotificationSchema } from './notification.js';
import { SAMPLE_EVENTS, SAMPLE_LIST } from './testing/sample-events.js';

describe('describeEvent titles', () => {
  it('says what happened with the numbers that matter, for every kind', () => {
    const titles = Object.fromEntries(SAMPLE_LIST.map((e) => [e.kind, describeEvent(e).title]));
    expect(titles).toEqual({
      deployment: 'Deployed s1/42 (training score 1.23 > 0.98)',
      promotion: 'Promoted s1/30 (+3.10 pp over paper in 170 h, Sharpe 1.20)',
      'candidate-refused': 'Refused promotion candidate s1/31',
      'risk-overlay': 'Stop-loss sold BTC/USDT (paper, s1/42)',
      'model-unavailable':
        'Deployed model s1/42 cannot be loaded: holding positions since 2024-03-02 07:00 UTC',
      'data-outage': 'Data outage: no complete bar from binance for 2 h 5 min',
      'service-stalled': 'Service arena stalled: no progress for 15 min',
      'service-restarted': 'Service deployer restarted (restart 1)',
      'daily-summary': 'Daily summary 2024-03-02: equity 10,234.56 (+1.23 % in 24 h)',
    });
    expect(Object.keys(titles)).toEqual([...NOTIFICATION_KINDS]);
  });

  it('covers the deployment variants: first, close scores, manual, ensemble', () => {
    const d = SAMPLE_EVENTS.deployment;
    expect(describeEvent({ ...d, previousModelId: null, previousScore: null }).title).toBe(
      'Deployed s1/42 (training score 1.23, first deployment)',
    );
    expect(describeEvent({ ...d, trainingScore: 1.23456, previousScore: 1.23411 }).title).toBe(
      'Deployed s1/42 (training score 1.235 > 1.234)',
    );
    expect(describeEvent({ ...d, source: 'manual', previousScore: null }).title).toBe(
      'Deployed s1/42 manually (training score 1.23)',
    );
    expect(
      describeEvent({ ...d, source: 'ensemble', modelId: '_ensembles/a+b', members: 10, trainingScore: 0.5 })
        .title,
    ).toBe('Deployed an ensemble of 10 trials (mean training score 0.50)');
  });

  it('names the drawdown stop and groups several stops of one bar', () => {
    const o = SAMPLE_EVENTS['risk-overlay'];
    expect(
      describeEvent({ ...o, severity: 'critical', triggers: [{ overlay: 'drawdown-stop', symbol: null }] })
        .title,
    ).toBe('Drawdown stop liquidated the portfolio (paper, s1/42)');
    const two = describeEvent({
      ...o,
      modelId: null,
      triggers: [
        { overlay: 'stop-loss', symbol: 'BTC/USDT' },
        { overlay: 'trailing-stop', symbol: 'ETH/USDT' },
      ],
    });
    expect(two.title).toBe('Risk overlays closed 2 positions (paper)');
    expect(two.text).toBe('Stop-loss: BTC/USDT\nTrailing stop: ETH/USDT');
  });

  it('reports the end of an outage and a summary without yesterday', () => {
    expect(describeEvent({ ...SAMPLE_EVENTS['data-outage'], status: 'resolved' }).title).toBe(
      'Data from binance is back after 2 h 5 min',
    );
    const s = describeEvent({ ...SAMPLE_EVENTS['daily-summary'], equityDayAgo: null, returnPct24h: null });
    expect(s.title).toBe('Daily summary 2024-03-02: equity 10,234.56');
    expect(s.text).toBe('In the last 24 h: 1 deployment, 1 promotion, 0 refused candidates.');
  });

  it('summarises suppressed notifications by kind', () => {
    const m = describeEvent({
      kind: 'notifications-suppressed',
      severity: 'warning',
      ts: 0,
      count: 3,
      byKind: { 'risk-overlay': 2, 'service-stalled': 1 },
    });
    expect(m.title).toBe('3 more notifications suppressed by the rate limit');
    expect(m.text).toBe(
      "Held back: 2 risk-overlay, 1 service-stalled. See the services' logs for the details.",
    );
  });

  it('sample events are valid against the schema', () => {
    for (const e of SAMPLE_LIST) expect(NotificationSchema.parse(e)).toEqual(e);
  });
});
