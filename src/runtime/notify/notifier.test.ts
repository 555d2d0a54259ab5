import { describe, expect, it } from 'vitest';
import type { Notification } from './notification.js';
import { createNotifier, DISABLED_NOTIFIER, type NotifierOptions, notifierFromConfig } from './notifier.js';
import { DEFAULT_NOTIFICATIONS_CONFIG, NotificationsConfigSchema } from './notify-config.js';
import { resolveWebhooks } from './resolve-webhooks.js';
import { type FakeAnswer, fakeFetch } from './testing/fake-fetch.js';
import { ManualClock, settle } from './testing/manual-clock.js';
import { memoryLogger } from './testing/memory-logger.js';
import { SAMPLE_EVENTS } from './testing/sample-events.js';

const TOKEN = 'tok-3f9a0c1d2e';
const URLS = {
  discord: `https://discord.com/api/webhooks/1/${TOKEN}`,
  slack: `https://hooks.slack.com/services/T/B/${TOKEN}`,
  json: `https://example.org/hook/${TOKEN}`,
};
const T0 = Date.UTC(2024, 2, 2, 8);

/** One JSON webhook (or the given env), a manual clock, a recording fetch and logger. */
function setup(
  answer?: (n: number, url: string) => FakeAnswer,
  options: Partial<NotifierOptions> = {},
  env: Record<string, string> = { HYBRID_TRADER_WEBHOOK_URL: URLS.json },
) {
  const clock = new ManualClock(T0);
  const http = fakeFetch(answer);
  const logger = memoryLogger();
  const notifier = createNotifier({
    webhooks: resolveWebhooks(DEFAULT_NOTIFICATIONS_CONFIG, env),
    logger,
    fetch: http.fetch,
    now: clock.now,
    timers: clock.timers,
    ...options,
  });
  return { clock, http, logger, notifier };
}

const event = (i: number): Notification => ({
  ...SAMPLE_EVENTS['risk-overlay'],
  dedupeKey: `overlay-${i}`,
  barTs: T0 + i,
});

describe('notify', () => {
  it('returns before any request is made, then delivers in the background', async () => {
    const { http, notifier } = setup();
    notifier.notify(SAMPLE_EVENTS.deployment);
    expect(http.requests).toHaveLength(0);
    expect(notifier.stats().pending).toBe(1);
    await settle();
    expect(http.requests).toHaveLength(1);
    expect(http.requests[0]!.body).toMatchObject({
      kind: 'deployment',
      title: 'Deployed s1/42 (training score 1.23 > 0.98)',
    });
    expect(http.requests[0]!.headers['content-type']).toBe('application/json');
    expect(notifier.stats()).toMatchObject({ enabled: true, notified: 1, sent: 1, failed: 0, pending: 0 });
  });

  it('sends a dedupe key once per window', async () => {
    const { clock, http, notifier } = setup(undefined, { dedupeWindowMs: 10 * 60_000 });
    notifier.notify(SAMPLE_EVENTS['service-stalled']);
    await clock.advance(60_000);
    notifier.notify(SAMPLE_EVENTS['service-stalled']);
    notifier.notify(SAMPLE_EVENTS['daily-summary']);
    await clock.advance(9 * 60_000);
    notifier.notify(SAMPLE_EVENTS['service-stalled']); // 10 min after the first: a reminder goes out
    await settle();
    expect(http.requests.map((r) => (r.body as { kind: string }).kind)).toEqual([
      'service-stalled',
      'daily-summary',
      'service-stalled',
    ]);
    expect(notifier.stats()).toMatchObject({ notified: 4, deduplicated: 1, sent: 3 });
  });

  it('sends only the kinds a webhook asked for', async () => {
    const clock = new ManualClock(T0);
    const http = fakeFetch();
    const config = NotificationsConfigSchema.parse({
      webhooks: [
        { kind: 'slack', url: URLS.slack, events: ['promotion'] },
        { kind: 'discord', url: URLS.discord },
      ],
    });
    const notifier = notifierFromConfig(config, {
      env: {},
      logger: memoryLogger(),
      fetch: http.fetch,
      now: clock.now,
      timers: clock.timers,
    });
    notifier.notify(SAMPLE_EVENTS.deployment);
    notifier.notify(SAMPLE_EVENTS.promotion);
    await settle();
    expect(
      http.requests.map((r) => [r.url, (r.body as { text?: string; content?: string }).text ?? 'discord']),
    ).toEqual([
      [URLS.discord, 'discord'],
      [URLS.slack, 'Promoted s1/30 (+3.10 pp over paper in 170 h, Sharpe 1.20)'],
      [URLS.discord, 'discord'],
    ]);
    expect(notifier.stats().webhooks.map((w) => [w.label, w.sent])).toEqual([
      ['slack webhook #1 (hooks.slack.com/…)', 1],
      ['discord webhook #2 (discord.com/…)', 2],
    ]);
  });

  it('never throws, even when the logger does', () => {
    const { notifier } = setup(() => 204, {
      logger: {
        info: () => {
          throw new Error('disk full');
        },
        warn: () => {
          throw new Error('disk full');
        },
        error: () => {
          throw new Error('disk full');
        },
      },
      maxPerMinute: 1,
    });
    expect(() => {
      for (let i = 0; i < 5; i++) notifier.notify(event(i));
      notifier.notify(null as unknown as Notification);
    }).not.toThrow();
  });
});

describe('rate limit', () => {
  it('holds the excess and summarises it in one message once the window allows', async () => {
    const { clock, http, logger, notifier } = setup(undefined, { maxPerMinute: 3 });
    for (let i = 0; i < 5; i++) {
      notifier.notify(event(i));
      await clock.advance(1000);
    }
    notifier.notify(SAMPLE_EVENTS['service-stalled']);
    expect(http.requests).toHaveLength(3);
    expect(notifier.stats()).toMatchObject({ sent: 3, suppressed: 3 });
    expect(logger.lines.filter((l) => l.message.includes('rate limit'))).toHaveLength(1);
    await clock.advance(55_000); // T0 + 60 s: the first send leaves the window
    expect(http.requests).toHaveLength(4);
    expect(http.requests[3]!.body).toMatchObject({
      kind: 'notifications-suppressed',
      severity: 'warning',
      count: 3,
      byKind: { 'risk-overlay': 2, 'service-stalled': 1 },
      title: '3 more notifications suppressed by the rate limit',
    });
    // The notice took a slot: the next event waits for the window too, and starts a new episode.
    notifier.notify(event(9));
    await clock.advance(1);
    expect(http.requests).toHaveLength(4);
    await clock.advance(60_000);
    expect((http.requests.at(-1)!.body as { count: number }).count).toBe(1);
    expect(clock.pendingTimers).toBe(0);
  });

  it('sends held notices at flush instead of losing them', async () => {
    const { http, notifier } = setup(undefined, { maxPerMinute: 1 });
    notifier.notify(event(1));
    notifier.notify(event(2));
    await notifier.flush(1000);
    expect(http.requests.map((r) => (r.body as { kind: string }).kind)).toEqual([
      'risk-overlay',
      'notifications-suppressed',
    ]);
  });

  it('drops and counts events beyond the queue bound', async () => {
    const { http, notifier } = setup(() => 'hang', { maxQueue: 2, maxPerMinute: 100, timeoutMs: 60_000 });
    for (let i = 0; i < 5; i++) notifier.notify(event(i));
    await settle();
    // notify() ran five times before the worker started: two queued, three dropped; one is now in flight.
    expect(http.requests).toHaveLength(1);
    expect(notifier.stats()).toMatchObject({ dropped: 3, pending: 2 });
    notifier.close();
  });
});

describe('delivery failures', () => {
  it('retries a 5xx, then succeeds', async () => {
    const { clock, http, notifier } = setup((n) => (n < 2 ? 502 : 204));
    notifier.notify(SAMPLE_EVENTS.promotion);
    await clock.advance(999);
    expect(http.requests).toHaveLength(1);
    await clock.advance(1); // first retry after 1 s
    expect(http.requests).toHaveLength(2);
    await clock.advance(2000); // second after 2 s more
    expect(notifier.stats()).toMatchObject({ sent: 1, failed: 0, retries: 2 });
  });

  it('waits out a 429 Retry-After, but not one longer than the cap', async () => {
    const { clock, http, notifier } = setup((n) =>
      n === 0
        ? { status: 429, headers: { 'retry-after': '5' } }
        : n === 2
          ? { status: 429, headers: { 'retry-after': '3600' } }
          : 204,
    );
    notifier.notify(SAMPLE_EVENTS.promotion);
    await clock.advance(4999);
    expect(http.requests).toHaveLength(1);
    await clock.advance(1);
    expect(notifier.stats()).toMatchObject({ sent: 1, retries: 1 });
    notifier.notify(SAMPLE_EVENTS.deployment);
    await settle();
    expect(notifier.stats()).toMatchObject({ sent: 1, failed: 1 });
    expect(notifier.stats().webhooks[0]!.lastError).toBe('HTTP 429');
  });

  it('does not retry a 4xx; logs the failure with the redacted label only', async () => {
    const { http, logger, notifier } = setup(() => 404);
    notifier.notify(SAMPLE_EVENTS.deployment);
    await settle();
    expect(http.requests).toHaveLength(1);
    expect(notifier.stats()).toMatchObject({ sent: 0, failed: 1, retries: 0 });
    expect(logger.lines).toEqual([
      {
        level: 'warn',
        message: 'notification failed',
        fields: {
          webhook: 'json webhook #1 (example.org/…)',
          kind: 'deployment',
          attempts: 1,
          status: 404,
          error: 'HTTP 404',
        },
      },
    ]);
  });

  it('retries a network error and keeps the URL out of the log and stats', async () => {
    const refused = new TypeError(`fetch failed for ${URLS.json}`, {
      cause: Object.assign(new Error(`connect ECONNREFUSED (${URLS.json})`), { code: 'ECONNREFUSED' }),
    });
    const broken = new TypeError(`Failed to parse URL from ${URLS.json}`);
    const { clock, logger, notifier } = setup((n) => (n < 3 ? refused : broken));
    notifier.notify(SAMPLE_EVENTS.deployment);
    await clock.advance(3000);
    notifier.notify(SAMPLE_EVENTS.promotion);
    await clock.advance(3000);
    const stats = notifier.stats();
    expect(stats).toMatchObject({ failed: 2, retries: 4 });
    expect(logger.lines.map((l) => l.fields['error'])).toEqual([
      'network error: ECONNREFUSED',
      'network error: Failed to parse URL from example.org/…',
    ]);
    for (const text of [logger.text(), JSON.stringify(stats)]) {
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain('/hook');
    }
  });

  it('logs once when a failing webhook works again', async () => {
    const { logger, notifier } = setup((n) => (n === 0 ? 400 : 204));
    notifier.notify(SAMPLE_EVENTS.deployment);
    await settle();
    notifier.notify(SAMPLE_EVENTS.promotion);
    notifier.notify(SAMPLE_EVENTS['daily-summary']);
    await settle();
    expect(logger.lines.map((l) => l.message)).toEqual([
      'notification failed',
      'notifications delivered again',
    ]);
  });
});

describe('flush and close', () => {
  it('flush resolves at its deadline when a webhook hangs, and close cancels what is left', async () => {
    const { clock, notifier } = setup(() => 'hang', { timeoutMs: 60_000 });
    notifier.notify(SAMPLE_EVENTS.deployment);
    notifier.notify(SAMPLE_EVENTS.promotion);
    let done = false;
    const flushed = notifier.flush(2000).then(() => {
      done = true;
    });
    await clock.advance(1999);
    expect(done).toBe(false);
    await clock.advance(1);
    await flushed;
    notifier.close();
    await settle();
    expect(notifier.stats()).toMatchObject({ sent: 0, failed: 1, dropped: 1, pending: 0 });
    notifier.notify(SAMPLE_EVENTS['daily-summary']); // a no-op after close
    expect(notifier.stats().pending).toBe(0);
  });

  it('flush resolves as soon as the queues are empty', async () => {
    const { http, notifier } = setup();
    await notifier.flush(10); // nothing queued
    notifier.notify(SAMPLE_EVENTS.deployment);
    await notifier.flush(60_000); // the manual clock never reaches the deadline: only delivery ends this
    expect(http.requests).toHaveLength(1);
  });
});

describe('disabled notifier', () => {
  it('is what a workspace without webhooks gets, and does nothing', async () => {
    expect(createNotifier({ webhooks: [], logger: memoryLogger() })).toBe(DISABLED_NOTIFIER);
    expect(notifierFromConfig(DEFAULT_NOTIFICATIONS_CONFIG, { env: {}, logger: memoryLogger() })).toBe(
      DISABLED_NOTIFIER,
    );
    DISABLED_NOTIFIER.notify(SAMPLE_EVENTS.deployment);
    await DISABLED_NOTIFIER.flush(1000);
    DISABLED_NOTIFIER.close();
    expect(DISABLED_NOTIFIER.stats()).toMatchObject({ enabled: false, notified: 0, sent: 0, webhooks: [] });
  });
});
