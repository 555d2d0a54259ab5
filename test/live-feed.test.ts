// The live feed through the real ccxt binance client pointed at the fake exchange: every scenario of issue 5.
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, DataError } from '../src/core/errors.js';
import { createCcxtClient } from '../src/feeds/live/ccxt-client.js';
import { createLiveFeed, type LiveFeed, type LiveFeedOptions } from '../src/feeds/live/live-feed.js';
import {
  expectServedBars,
  type Harness,
  HOUR_MS,
  hours,
  memoryLogger,
  openHarness,
} from './fake-exchange/feed-harness.js';
import { type FakeExchange, startFakeExchange } from './fake-exchange/server.js';

/** 20 s after the 10:00 close: the latest closed bar opened at 09:00; the first live frame is 10:00. */
const T0 = Date.UTC(2024, 2, 1, 10, 0, 20);
const H10 = Date.UTC(2024, 2, 1, 10);

/** Polls during an outage back off up to 10 min: an outage of hours costs a few dozen requests. */
const SLOW_RETRY = { maxAttempts: 4, baseDelayMs: 1_000, maxDelayMs: 600_000, jitter: 0.5 };

let open: Harness | null = null;
const harness = async (options: Parameters<typeof openHarness>[0] = {}) => {
  open = await openHarness({ ...options, fake: { nowMs: T0, ...options.fake } });
  return open;
};
afterEach(async () => {
  await open?.close();
  open = null;
});

const messages = (h: Harness, level?: string) =>
  h.log.filter((l) => level === undefined || l.level === level).map((l) => l.msg);
const tsOf = (events: readonly { ts: number }[]) => events.map((e) => e.ts);
const noZeros = (h: Harness) => {
  const m = h.feed.market;
  for (const field of ['open', 'high', 'low', 'close'] as const)
    for (let k = 0; k < m.length * m.symbols.length; k++) if (!(m[field][k]! > 0)) return false;
  return true;
};

/**
 * Starts a feed on a fake exchange with nothing to warm up, no poll delay and the fake's clock; `options`
 * set what a start-up test varies. The fake is closed after `check`, which gets the start and the log.
 */
async function atStartUp(
  fake: FakeExchange,
  options: Partial<LiveFeedOptions>,
  check: (start: Promise<LiveFeed>, log: ReturnType<typeof memoryLogger>) => Promise<void>,
): Promise<void> {
  try {
    const client = await createCcxtClient({ exchangeId: 'binance', apiUrl: fake.url });
    const log = memoryLogger();
    const start = createLiveFeed({
      client,
      symbols: ['BTC/USDT'],
      timeframe: '1h',
      resumeAfterTs: null,
      warmupBars: 0,
      pollDelayMs: 0,
      missingBarDeadlineMs: 0,
      logger: log,
      now: fake.now,
      ...options,
    });
    await check(start, log);
  } finally {
    await fake.close();
  }
}

describe('live feed against the fake exchange (ccxt binance, base URL overridden)', () => {
  it('normal bars: warm-up without events, then one frame per bar close, exactly the closed bars', async () => {
    const h = await harness({ before: (f) => f.setFormingCandle(false) });
    expect(h.feed.market.length).toBe(24);
    expect(h.feed.market.ts[23]).toBe(H10 - HOUR_MS);
    const events = await h.take(5);
    expect(tsOf(events)).toEqual(hours(H10, 5));
    expect(events.map((e) => e.t)).toEqual([24, 25, 26, 27, 28]);
    expect(expectServedBars(h, events)).toEqual([]);
    // the last frame was released 5 s (the poll delay) after its close, not earlier and not much later
    expect(h.fake.now()).toBe(H10 + 5 * HOUR_MS + 5_000);
    expect(messages(h)).toContain('frame 2024-03-01T14:00:00.000Z closed');
    // spot only: no futures, options or margin endpoint was called
    expect(new Set(h.fake.requests.map((r) => r.path))).toEqual(
      new Set(['/api/v3/exchangeInfo', '/api/v3/klines']),
    );
  });

  it('a still-forming candle in the response is never used, and is logged', async () => {
    const h = await harness(); // the fake includes the forming candle, as Binance does
    const events = await h.take(3);
    expect(tsOf(events)).toEqual(hours(H10, 3));
    expect(expectServedBars(h, events)).toEqual([]);
    expect(h.feed.market.ts[h.feed.market.length - 1]).toBe(H10 + 2 * HOUR_MS);
    expect(messages(h, 'info')).toContain(
      'ignored forming candle at 2024-03-01T10:00:00.000Z (not closed yet) of BTC/USDT, ETH/USDT, SOL/USDT',
    );
  });

  it('an outage of several bars: retried and logged, then every missed bar backfilled in order, no duplicates', async () => {
    const h = await harness({ feed: { retry: SLOW_RETRY } });
    const first = await h.take(2); // 10:00, 11:00; clock 12:00:05
    h.fake.outage(h.fake.now(), h.fake.now() + 5 * HOUR_MS, 'drop');
    const rest = await h.take(7);
    const all = [...first, ...rest];
    expect(tsOf(all)).toEqual(hours(H10, 9));
    expect(new Set(tsOf(all)).size).toBe(9);
    expect(expectServedBars(h, all)).toEqual([]);
    const log = messages(h);
    expect(log.some((m) => /^exchange request failed \(network error\), retry 1 of 3/.test(m))).toBe(true);
    expect(log.some((m) => m.startsWith('exchange unreachable: binance BTC/USDT 1h candles'))).toBe(true);
    expect(
      log.some((m) =>
        /^exchange reachable again after an outage of \d+ s; backfilling from 2024-03-01T12:00/.test(m),
      ),
    ).toBe(true);
    expect(log).toContain(
      'backfilling 5 missed closed frame(s) 2024-03-01T12:00:00.000Z .. 2024-03-01T16:00:00.000Z',
    );
    expect(h.fake.requests.some((r) => r.outcome === 'dropped')).toBe(true);
  });

  it('an outage answered with HTTP 503 is a server error, retried, then backfilled', async () => {
    const h = await harness({ feed: { retry: SLOW_RETRY } });
    h.fake.outage(T0, T0 + 3 * HOUR_MS, '503');
    const events = await h.take(4);
    expect(tsOf(events)).toEqual(hours(H10, 4));
    expect(expectServedBars(h, events)).toEqual([]);
    expect(messages(h).some((m) => m.startsWith('exchange request failed (server error, HTTP 503)'))).toBe(
      true,
    );
  });

  it('a burst of HTTP 429: backed off (never faster than rateLimit), logged as rate limited, frames intact', async () => {
    const h = await harness();
    h.fake.failNext(3, 429);
    const events = await h.take(3);
    expect(tsOf(events)).toEqual(hours(H10, 3));
    expect(expectServedBars(h, events)).toEqual([]);
    const retries = h.log.filter((l) => l.fields['kind'] === 'rate-limit');
    expect(retries.map((l) => l.msg)).toEqual([
      'exchange request failed (rate limited, HTTP 429), retry 1 of 3 in 1.0 s',
      'exchange request failed (rate limited, HTTP 429), retry 2 of 3 in 2.0 s',
      'exchange request failed (rate limited, HTTP 429), retry 3 of 3 in 4.0 s',
    ]);
    expect(h.fake.requests.filter((r) => r.outcome === 429)).toHaveLength(3);
  });

  it('a burst of HTTP 500 longer than the retry budget: the poll fails, is logged, and the next one recovers', async () => {
    const h = await harness();
    // 4 attempts fail: the poll fails; while unreachable, polls make one attempt each: 2 more fail, then one succeeds
    h.fake.failNext(6, 500);
    const events = await h.take(3);
    expect(tsOf(events)).toEqual(hours(H10, 3));
    expect(expectServedBars(h, events)).toEqual([]);
    const log = messages(h);
    expect(log.filter((m) => m.startsWith('exchange request failed (server error, HTTP 500)'))).toHaveLength(
      3,
    );
    expect(log.filter((m) => /^exchange unreachable: .*server error \(HTTP 500\)/.test(m))).toHaveLength(1);
    expect(log.some((m) => m.startsWith('exchange reachable again after an outage'))).toBe(true);
    expect(h.fake.requests.filter((r) => r.outcome === 500)).toHaveLength(6);
  });

  it('malformed JSON once: retried with a log line naming it, never read as "no candles"', async () => {
    const h = await harness();
    h.fake.malformedNext(1);
    const events = await h.take(2);
    expect(tsOf(events)).toEqual(hours(H10, 2));
    expect(expectServedBars(h, events)).toEqual([]);
    const line = h.log.find((l) => l.fields['kind'] === 'malformed-response');
    expect(line?.msg).toBe('exchange request failed (malformed response, HTTP 200), retry 1 of 3 in 1.0 s');
    expect(String(line?.fields['error'])).toContain('returned malformed JSON');
  });

  it('a symbol missing from frame t: the frame waits, is skipped past the deadline, never stepped partial', async () => {
    const t = H10 + HOUR_MS;
    const h = await harness({ before: (f) => f.dropBar('ETH/USDT', t) });
    const events = await h.take(3);
    expect(tsOf(events)).toEqual([H10, H10 + 2 * HOUR_MS, H10 + 3 * HOUR_MS]);
    expect(expectServedBars(h, events)).toEqual([]);
    expect(messages(h, 'warn')).toContain(
      'frame 2024-03-01T11:00:00.000Z skipped: ETH/USDT missing past the 600 s deadline',
    );
    // the skip came only once the deadline had passed: the next frame was not released before it
    expect(h.feed.market.ts.subarray(0, h.feed.market.length)).not.toContain(t);
  });

  it('a bar that arrives late but within the deadline is waited for and used', async () => {
    const t = H10 + HOUR_MS;
    const h = await harness({ before: (f) => f.dropBar('ETH/USDT', t, t + HOUR_MS + 120_000) });
    const events = await h.take(3);
    expect(tsOf(events)).toEqual(hours(H10, 3));
    expect(expectServedBars(h, events)).toEqual([]);
    expect(messages(h).some((m) => m.includes('skipped'))).toBe(false);
  });

  it('a price of 0 in frame t: the bar is logged as invalid and never used; the frame is skipped, never zero-filled', async () => {
    const t = H10 + HOUR_MS;
    const h = await harness({ before: (f) => f.zeroPrice('SOL/USDT', t) });
    const events = await h.take(3);
    expect(tsOf(events)).toEqual([H10, H10 + 2 * HOUR_MS, H10 + 3 * HOUR_MS]);
    expect(expectServedBars(h, events)).toEqual([]);
    expect(noZeros(h)).toBe(true);
    const warns = messages(h, 'warn');
    expect(warns).toContain(
      'invalid bar ignored: SOL/USDT at 2024-03-01T11:00:00.000Z: low must be > 0, was 0',
    );
    expect(warns.filter((m) => m.startsWith('invalid bar ignored'))).toHaveLength(1); // once, not every poll
    expect(warns).toContain(
      'frame 2024-03-01T11:00:00.000Z skipped: SOL/USDT invalid (low must be > 0, was 0) past the 600 s deadline',
    );
  });

  it('a zero price corrected by the exchange within the deadline: the corrected bar is used', async () => {
    const t = H10 + HOUR_MS;
    const h = await harness({ before: (f) => f.zeroPrice('SOL/USDT', t, t + HOUR_MS + 60_000) });
    const events = await h.take(2);
    expect(tsOf(events)).toEqual(hours(H10, 2));
    expect(expectServedBars(h, events)).toEqual([]);
    expect(noZeros(h)).toBe(true);
  });

  it('resuming after a stop: warm-up ends at the resume point, every missed bar is backfilled in order', async () => {
    const resumeAfterTs = H10 - 8 * HOUR_MS; // 02:00 was the last frame the services applied
    const h = await harness({ feed: { resumeAfterTs, warmupBars: 10 } });
    expect(h.feed.market.length).toBe(10);
    expect(h.feed.market.ts[9]).toBe(resumeAfterTs);
    const events = await h.take(9);
    expect(tsOf(events)).toEqual(hours(resumeAfterTs + HOUR_MS, 9)); // 03:00 .. 09:00 backfilled, then 10:00, 11:00
    expect(expectServedBars(h, events)).toEqual([]);
    expect(messages(h)).toContain(
      'backfilling 7 missed closed frame(s) 2024-03-01T03:00:00.000Z .. 2024-03-01T09:00:00.000Z',
    );
  });
  it('backfilled frames already fetched are returned synchronously (the supervisor commits only before a wait)', async () => {
    const h = await harness({ feed: { resumeAfterTs: H10 - 4 * HOUR_MS, warmupBars: 2 } });
    const first = h.feed.next();
    expect(first).toBeInstanceOf(Promise); // the poll
    expect((await first)?.ts).toBe(H10 - 3 * HOUR_MS);
    const rest = [h.feed.next(), h.feed.next(), h.feed.next()];
    expect(rest.map((r) => (r instanceof Promise ? 'promise' : r?.ts))).toEqual([
      H10 - 2 * HOUR_MS,
      H10 - HOUR_MS,
      'promise', // 10:00 has not closed yet: a wait
    ]);
    expect((await rest[2])?.ts).toBe(H10);
  });
});

describe('live feed start-up and stop', () => {
  it('close() makes a waiting next() resolve null', async () => {
    const fake = await startFakeExchange({ nowMs: T0 });
    try {
      const client = await createCcxtClient({ exchangeId: 'binance', apiUrl: fake.url });
      const feed = await createLiveFeed({
        client,
        symbols: fake.symbols,
        timeframe: '1h',
        resumeAfterTs: null,
        warmupBars: 0,
        pollDelayMs: 5_000,
        missingBarDeadlineMs: 600_000,
        logger: memoryLogger(),
        now: fake.now, // the clock stands still: next() waits on a real timer for the 10:00 bar to close
      });
      const pending = feed.next();
      setTimeout(() => feed.close(), 50);
      expect(await pending).toBeNull();
      expect(await feed.next()).toBeNull();
    } finally {
      await fake.close();
    }
  });

  it('a symbol the exchange does not list is a ConfigError naming it', async () => {
    const fake = await startFakeExchange({ nowMs: T0 });
    await atStartUp(fake, { symbols: ['BTC/USDT', 'DOGE/USDT'] }, async (start) => {
      await expect(start).rejects.toThrow(ConfigError);
      await expect(start).rejects.toMatchObject({
        code: 'SYMBOL_UNKNOWN_ON_EXCHANGE',
        message: 'binance does not list DOGE/USDT among its spot markets (symbols look like BTC/USDT)',
      });
    });
  });

  it('a burst of 429 and 503 at start-up outlasting the retry budget: retried within the start-up deadline, and said', async () => {
    // 4 attempts per request: 5 failures outlast the first warm-up request's
    const h = await harness({
      before: (f) => {
        f.setFormingCandle(false);
        f.failNext(5, 429);
      },
    });
    expect(h.feed.market.length).toBe(24);
    const events = await h.take(2);
    expect(tsOf(events)).toEqual(hours(H10, 2));
    expect(expectServedBars(h, events)).toEqual([]);
    const startup = h.log.filter((l) => l.msg.startsWith('exchange not reachable at start-up'));
    expect(startup.map((l) => l.msg)).toEqual([
      expect.stringMatching(
        /^exchange not reachable at start-up \(loading the warm-up\): .*429.*; trying again in \d+\.\d s, until 2024-03-01T10:05:20\.000Z \(start-up deadline 300 s\)$/,
      ),
    ]);
    expect(startup[0]!.level).toBe('warn');
    expect(messages(h)).toContain('exchange reachable again at start-up after 1 failed attempt(s)');
  });

  it('an exchange unreachable past the start-up deadline fails, naming the deadline and the cause', async () => {
    const fake = await startFakeExchange({ nowMs: T0 });
    fake.outage(0, Number.POSITIVE_INFINITY, '503');
    const sleep = async (ms: number) => {
      fake.advance(ms);
      await new Promise((resolve) => setImmediate(resolve));
    };
    const retry = { maxAttempts: 2, baseDelayMs: 1_000, maxDelayMs: 30_000, jitter: 0 };
    await atStartUp(fake, { startupDeadlineMs: 120_000, retry, sleep }, async (start) => {
      await expect(start).rejects.toMatchObject({
        code: 'EXCHANGE_SERVER_ERROR',
        message: expect.stringMatching(
          /HTTP 503.*; the exchange did not answer within the start-up deadline of 120 s/,
        ),
      });
      // it kept trying up to the deadline, never past it
      expect(fake.now()).toBeGreaterThanOrEqual(T0 + 120_000);
      expect(fake.now()).toBeLessThan(T0 + 120_000 + 30_000);
    });
  });

  it('an exchange unreachable at start-up fails after the retry budget with the cause', async () => {
    const fake = await startFakeExchange({ nowMs: T0 });
    fake.outage(0, Number.POSITIVE_INFINITY, 'drop');
    const retry = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 10, jitter: 0 };
    // no start-up retries beyond the request's own
    await atStartUp(fake, { startupDeadlineMs: 0, retry }, async (start, log) => {
      await expect(start).rejects.toThrow(DataError);
      await expect(start).rejects.toMatchObject({ code: 'EXCHANGE_NETWORK' });
      expect(log.lines.filter((l) => l.fields['kind'] === 'network')).toHaveLength(2);
    });
  });
});
