// Drives the live feed against the fake exchange through the real ccxt client, on the fake exchange's clock.
import type { FrameEvent } from '../../src/feeds/index.js';
import { createCcxtClient } from '../../src/feeds/live/ccxt-client.js';
import { createLiveFeed, type LiveFeed, type LiveFeedOptions } from '../../src/feeds/live/live-feed.js';
import { barAt } from '../../src/market/market-data.js';
import { type FakeExchange, type FakeExchangeOptions, startFakeExchange } from './server.js';

export const HOUR_MS = 3_600_000;

import { type LogLine, memoryLogger } from '../../src/lifecycle/testing/fixtures.js';

export { type LogLine, memoryLogger };

export interface Harness {
  readonly fake: FakeExchange;
  readonly feed: LiveFeed;
  readonly log: LogLine[];
  /** Calls next() `n` times (stops at null); returns the events. */
  take(n: number): Promise<FrameEvent[]>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  readonly fake?: FakeExchangeOptions;
  /** Applied to the fake before the feed starts. */
  readonly before?: (fake: FakeExchange) => void;
  readonly feed?: Partial<Omit<LiveFeedOptions, 'client' | 'logger' | 'now' | 'sleep'>>;
}

/**
 * A fake exchange at `fake.nowMs` and a feed (1h bars, 24 warm-up bars, 5 s poll delay, 10 min deadline,
 * 4 attempts per request) whose sleep advances the fake clock: hours of feed time run in milliseconds.
 */
export async function openHarness(options: HarnessOptions = {}): Promise<Harness> {
  const fake = await startFakeExchange(options.fake);
  options.before?.(fake);
  const log = memoryLogger();
  const client = await createCcxtClient({ exchangeId: 'binance', apiUrl: fake.url });
  const feed = await createLiveFeed({
    client,
    symbols: fake.symbols,
    timeframe: '1h',
    resumeAfterTs: null,
    warmupBars: 24,
    pollDelayMs: 5_000,
    repollMs: 15_000,
    missingBarDeadlineMs: 600_000,
    retry: { maxAttempts: 4, baseDelayMs: 1_000, maxDelayMs: 30_000, jitter: 0.5 },
    random: () => 0.5,
    ...options.feed,
    logger: log,
    now: fake.now,
    sleep: async (ms) => {
      fake.advance(ms);
      await new Promise((resolve) => setImmediate(resolve));
    },
  });
  return {
    fake,
    feed,
    log: log.lines,
    async take(n) {
      const events: FrameEvent[] = [];
      for (let i = 0; i < n; i++) {
        const event = await feed.next();
        if (event === null) break;
        // Each frame is released only once closed and polled: the clock is past its close plus the delay.
        if (fake.now() < event.ts + HOUR_MS) throw new Error(`frame ${event.ts} released before its close`);
        events.push(event);
      }
      return events;
    },
    async close() {
      feed.close();
      await fake.close();
    },
  };
}

/** Every bar the market holds for the frames of `events`, checked against what the fake serves. */
export function expectServedBars(h: Harness, events: readonly FrameEvent[]): string[] {
  const problems: string[] = [];
  for (const e of events) {
    if (e.market.ts[e.t] !== e.ts) problems.push(`event ts ${e.ts} is not market.ts[${e.t}]`);
    h.fake.symbols.forEach((symbol, i) => {
      const got = barAt(e.market, e.t, i);
      const want = h.fake.bar(symbol, e.ts, HOUR_MS);
      if (JSON.stringify(got) !== JSON.stringify(want))
        problems.push(
          `${symbol} at ${new Date(e.ts).toISOString()}: ${JSON.stringify(got)} != ${JSON.stringify(want)}`,
        );
    });
  }
  return problems;
}

/** Hourly timestamps from `first`, `n` of them. */
export const hours = (first: number, n: number) => Array.from({ length: n }, (_, k) => first + k * HOUR_MS);
