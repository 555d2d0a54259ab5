// The live feed on other timeframes than 1h (1m, 5m, 15m, 4h, 1d), through the real ccxt client and the
// fake exchange: closed bars only, one frame per bar of the timeframe, warm-up of that many bars.
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, openHarness } from './fake-exchange/feed-harness.js';

let open: Harness | null = null;
afterEach(async () => {
  await open?.close();
  open = null;
});

const MS = { '1m': 60_000, '5m': 300_000, '15m': 900_000, '4h': 14_400_000, '1d': 86_400_000 };

describe('live feed timeframes', () => {
  for (const [timeframe, ms] of Object.entries(MS)) {
    it(`${timeframe}: frames one bar apart, each released after its close`, async () => {
      // 20 s after a day boundary: a bar of every timeframe has just closed.
      const now = Date.UTC(2024, 2, 1, 0, 0, 20);
      open = await openHarness({ fake: { nowMs: now }, feed: { timeframe, warmupBars: 6 } });
      const events: { ts: number }[] = [];
      for (let i = 0; i < 4; i++) {
        const event = await open.feed.next();
        if (event === null) break;
        // Released only once closed: the fake clock is past the bar's close.
        expect(open.fake.now()).toBeGreaterThanOrEqual(event.ts + ms);
        events.push(event);
      }
      expect(open.feed.market.timeframeMs).toBe(ms);
      expect(events.map((e) => e.ts - events[0]!.ts)).toEqual([0, ms, 2 * ms, 3 * ms]);
      expect(events[0]!.ts).toBe(Date.UTC(2024, 2, 1));
      // The warm-up bars before the first live frame, on the same grid.
      const m = open.feed.market;
      expect(m.ts[1]! - m.ts[0]!).toBe(ms);
    });
  }
});
