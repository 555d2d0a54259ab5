import { describe, expect, it } from 'vitest';
import { createMetrics } from './metrics.js';
import type { MetricsSnapshot } from './metrics-snapshot.js';

const empty: MetricsSnapshot = {
  paper: null,
  arena: null,
  feedLagSeconds: null,
  heartbeatAgeSeconds: null,
  supervisorRunning: false,
  trialsCompleted: new Map(),
  workers: [],
  problems: [],
};

describe('createMetrics', () => {
  it('writes values exactly and leaves out what is unknown, scrape after scrape', async () => {
    const metrics = createMetrics('1.2.3');
    const full: MetricsSnapshot = {
      ...empty,
      paper: {
        equity: 10_123.456789012345,
        cash: 5,
        returnRatio: 0.0123,
        drawdownRatio: 0,
        positionsValue: 10_118.456789012345,
        bars: 7,
        refusedSteps: 1,
        unavailableModelId: null,
      },
      arena: {
        evaluating: 2,
        qualified: 1,
        queued: 0,
        bars: 7,
        refusedSteps: [{ modelId: 's/1', steps: 2 }],
      },
      feedLagSeconds: 12.5,
      trialsCompleted: new Map([['s', 4]]),
    };
    const text = await metrics.render(full);
    expect(text).toMatch(/^hybrid_trader_paper_equity 10123.456789012345$/m);
    expect(text).toMatch(/^hybrid_trader_bars_processed_total\{service="paper"\} 7$/m);
    expect(text).toMatch(/^hybrid_trader_steps_skipped_total\{service="arena",model="s\/1"\} 2$/m);
    expect(text).toMatch(/^hybrid_trader_trials_completed\{study="s"\} 4$/m);
    expect(text).toMatch(/^# TYPE hybrid_trader_steps_skipped_total counter$/m);
    expect(text).toMatch(/^hybrid_trader_deployed_model_unavailable 0$/m);
    const held = await metrics.render({ ...full, paper: { ...full.paper!, unavailableModelId: 's/9' } });
    expect(held).toMatch(/^hybrid_trader_deployed_model_unavailable\{model="s\/9"\} 1$/m);
    expect(held).not.toMatch(/^hybrid_trader_deployed_model_unavailable 0$/m);
    const after = await metrics.render(empty);
    expect(after).not.toMatch(/^hybrid_trader_paper_equity /m);
    expect(after).not.toMatch(/^hybrid_trader_feed_lag_seconds /m);
    expect(after).not.toMatch(/^hybrid_trader_trials_completed\{/m);
    expect(after).not.toMatch(/model="s\/1"/);
    expect(after).toMatch(/^hybrid_trader_state_problems 0$/m);
  });

  it("shows each worker's host, pid, trials and heartbeat age, and counts workers by status", async () => {
    const metrics = createMetrics('1.2.3');
    const worker = {
      study: 's',
      id: 'w1',
      host: 'gpu-1',
      pid: 4242,
      kind: 'ppo',
      version: '1.2.3',
      status: 'running' as const,
      startedAt: '2026-01-01T00:00:00.000Z',
      lastHeartbeatAt: '2026-01-01T01:00:00.000Z',
      lastHeartbeatAgeSeconds: 3.5,
      trialsDone: 9,
      complete: 6,
      pruned: 2,
      failed: 1,
      running: [17],
    };
    const text = await metrics.render({
      ...empty,
      workers: [worker, { ...worker, id: 'w2', pid: 7, status: 'lost', running: [] }],
    });
    const labels = 'study="s",worker="w1",host="gpu-1",pid="4242"';
    expect(text).toMatch(new RegExp(`^hybrid_trader_worker_trials\\{${labels},state="complete"\\} 6$`, 'm'));
    expect(text).toMatch(new RegExp(`^hybrid_trader_worker_trials\\{${labels},state="failed"\\} 1$`, 'm'));
    expect(text).toMatch(new RegExp(`^hybrid_trader_worker_heartbeat_age_seconds\\{${labels}\\} 3.5$`, 'm'));
    expect(text).toMatch(new RegExp(`^hybrid_trader_worker_trials_running\\{${labels}\\} 1$`, 'm'));
    expect(text).toMatch(/^hybrid_trader_workers\{study="s",status="running"\} 1$/m);
    expect(text).toMatch(/^hybrid_trader_workers\{study="s",status="lost"\} 1$/m);
    // a worker record removed from the study leaves the output
    const after = await metrics.render(empty);
    expect(after).not.toMatch(/worker="w1"/);
    expect(after).not.toMatch(/^hybrid_trader_workers\{/m);
  });
});
