// End to end over real HTTP: a local webhook server receives the three channels' payloads; dead webhooks
// (nothing listening, or never answering) cost notify() nothing and flush() no more than its deadline.
import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { historyNotification } from './history-mapping.js';
import { NotificationSchema } from './notification.js';
import { notifierFromConfig } from './notifier.js';
import { NotificationsConfigSchema } from './notify-config.js';
import { memoryLogger } from './testing/memory-logger.js';
import { SAMPLE_EVENTS } from './testing/sample-events.js';
import { deadPort, startWebhookServer, type WebhookServer } from './testing/webhook-server.js';

const TOKEN = 'T0KEN-5ecret-9b7e';
let servers: WebhookServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

describe('webhooks over HTTP', () => {
  it('a local server receives Discord, Slack and JSON payloads with the right content', async () => {
    const server = await startWebhookServer();
    servers.push(server);
    const logger = memoryLogger();
    const notifier = notifierFromConfig(NotificationsConfigSchema.parse({ timeoutMs: 2000 }), {
      env: {
        HYBRID_TRADER_DISCORD_WEBHOOK_URL: `${server.base}/discord/${TOKEN}`,
        HYBRID_TRADER_SLACK_WEBHOOK_URL: `${server.base}/slack/${TOKEN}`,
        HYBRID_TRADER_WEBHOOK_URL: `${server.base}/json/${TOKEN}`,
      },
      logger,
    });
    const deployed = historyNotification({
      cycleTs: Date.UTC(2024, 2, 2, 7),
      at: '2024-03-02T08:00:00.000Z',
      action: 'deploy',
      modelId: 's1/42',
      trialNumber: 42,
      reason: 'training score 1.2345 beats deployed 0.9812 + margin 0',
      details: {
        candidateScore: 1.2345,
        deployedScore: 0.9812,
        rescoredDeployedScore: null,
        margin: 0,
        replaced: 's1/17',
      },
    })!;
    notifier.notify(deployed);
    notifier.notify(SAMPLE_EVENTS['risk-overlay']);
    await notifier.flush(3000);
    notifier.close();

    expect(server.received).toHaveLength(6);
    const at = (channel: string) => server.received.filter((r) => r.path === `/${channel}/${TOKEN}`);
    const title = 'Deployed s1/42 (training score 1.23 > 0.98)';
    expect(at('discord').map((r) => (r.body as { content: string }).content)).toEqual([
      title,
      'Stop-loss sold BTC/USDT (paper, s1/42)',
    ]);
    expect(
      (at('discord')[0]!.body as { embeds: { fields: { name: string; value: string }[] }[] }).embeds[0]!
        .fields,
    ).toContainEqual({ name: 'Replaces', value: 's1/17', inline: true });
    expect(at('slack').map((r) => (r.body as { text: string }).text)).toEqual([
      'Deployed s1/42 (training score 1.23 &gt; 0.98)', // Slack's escaping; it shows ">"

      'Stop-loss sold BTC/USDT (paper, s1/42)',
    ]);
    const json = at('json').map((r) => r.body as Record<string, unknown>);
    expect(json[0]).toMatchObject({
      kind: 'deployment',
      severity: 'info',
      title,
      modelId: 's1/42',
      trainingScore: 1.2345,
      previousModelId: 's1/17',
      previousScore: 0.9812,
      source: 'training',
      at: '2024-03-02T08:00:00.000Z',
    });
    // The JSON body is the event itself (plus title, text, at, source): it parses back.
    const { title: _t, text: _x, at: _a, app: _s, ...event } = json[1]!;
    expect(NotificationSchema.parse(event)).toEqual(SAMPLE_EVENTS['risk-overlay']);
    for (const r of server.received) expect(r.headers['content-type']).toBe('application/json');
    expect(notifier.stats()).toMatchObject({ sent: 6, failed: 0 });
    expect(logger.lines).toEqual([]);
  });

  it('dead webhooks cost notify() nothing, flush() at most its deadline, and are logged redacted', async () => {
    const hanging = await startWebhookServer(() => 'hang');
    servers.push(hanging);
    const port = await deadPort();
    const logger = memoryLogger();
    const timeoutMs = 300;
    const notifier = notifierFromConfig(NotificationsConfigSchema.parse({ timeoutMs, retries: 2 }), {
      env: {
        HYBRID_TRADER_DISCORD_WEBHOOK_URL: `${hanging.base}/discord/${TOKEN}`,
        HYBRID_TRADER_WEBHOOK_URL: `http://127.0.0.1:${port}/json/${TOKEN}`,
      },
      logger,
    });

    // 50 "steps", each notifying: none waits for the network.
    const took: number[] = [];
    for (let step = 0; step < 50; step++) {
      const t = performance.now();
      notifier.notify({ ...SAMPLE_EVENTS['risk-overlay'], dedupeKey: `step-${step}` });
      took.push(performance.now() - t);
    }
    // Typically a few microseconds each; the max allows for a GC pause on a busy machine, and is far
    // below the 300 ms a single request to either dead webhook takes.
    took.sort((a, b) => a - b);
    expect(took[25]!).toBeLessThan(1);
    expect(took[49]!).toBeLessThan(50);

    // A deadline shorter than the request timeout: flush returns at the deadline, not the timeout.
    let t = performance.now();
    await notifier.flush(100);
    const short = performance.now() - t;
    expect(short).toBeGreaterThanOrEqual(90);
    expect(short).toBeLessThan(250);

    notifier.close(); // drop the 49 queued behind the first (10/min: 40 were held by the rate limit)
    const closed = notifier.stats();
    expect(closed.pending).toBeLessThanOrEqual(2);

    // A fresh notifier with one event per webhook: both give up within the timeout (+ quick retries).
    const again = notifierFromConfig(NotificationsConfigSchema.parse({ timeoutMs, retries: 2 }), {
      retryDelayMs: 50,
      env: {
        HYBRID_TRADER_DISCORD_WEBHOOK_URL: `${hanging.base}/discord/${TOKEN}`,
        HYBRID_TRADER_WEBHOOK_URL: `http://127.0.0.1:${port}/json/${TOKEN}`,
      },
      logger,
    });
    t = performance.now();
    again.notify(SAMPLE_EVENTS.promotion);
    expect(performance.now() - t).toBeLessThan(5);
    await again.flush(10_000);
    const elapsed = performance.now() - t;
    expect(elapsed).toBeGreaterThanOrEqual(timeoutMs - 10); // the hanging one ran to its timeout...
    expect(elapsed).toBeLessThan(timeoutMs + 500); // ...the refused one, with 50 + 100 ms retry waits, sooner
    const stats = again.stats();
    expect(stats).toMatchObject({ sent: 0, failed: 2, pending: 0 });
    expect(stats.webhooks.map((w) => [w.kind, w.lastError, w.retries])).toEqual([
      ['discord', `timed out after ${timeoutMs} ms`, 0],
      ['json', 'network error: ECONNREFUSED', 2],
    ]);
    again.close();

    const failures = logger.lines.filter((l) => l.message === 'notification failed');
    expect(failures.map((l) => l.fields['webhook'])).toContain(`json webhook #2 (127.0.0.1:${port}/…)`);
    expect(failures.map((l) => l.fields['webhook'])).toContain(
      `discord webhook #1 (${hanging.base.replace('http://', '')}/…)`,
    );
    const everything = `${logger.text()}\n${JSON.stringify(closed)}\n${JSON.stringify(stats)}`;
    expect(everything).not.toContain(TOKEN);
    expect(everything).not.toContain('/json/');
    expect(everything).not.toContain('/discord/');
  });
});
