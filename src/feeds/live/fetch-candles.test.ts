import { describe, expect, it } from 'vitest';
import type { Bar } from '../../market/bar.js';
import type { ExchangeClient } from './exchange-client.js';
import { fetchClosedCandles } from './fetch-candles.js';

const H = 3_600_000;
const T = Date.UTC(2024, 0, 1);
const bar = (ts: number): Bar => ({ ts, open: 1, high: 2, low: 0.5, close: 1.5, volume: 3 });

/** A client over bars at `times`, `pageLimit` per request, recording each `since`. */
function client(times: readonly number[], pageLimit: number): ExchangeClient & { sinces: number[] } {
  const sinces: number[] = [];
  return {
    exchangeId: 'fake',
    rateLimitMs: 0,
    pageLimit,
    sinces,
    checkMarket: async () => {},
    fetchCandles: async (_s, _tf, since, limit) => {
      sinces.push(since);
      return times
        .filter((ts) => ts >= since)
        .slice(0, limit)
        .map(bar);
    },
  };
}

const retry = {
  policy: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0, jitter: 0 },
  minDelayMs: 0,
  sleep: async () => {},
  random: () => 0,
  logger: { info: () => {}, warn: () => {}, error: () => {} },
};
const request = (fromTs: number, toTs: number, nowMs: number) => ({
  symbol: 'BTC/USDT',
  timeframe: '1h',
  timeframeMs: H,
  fromTs,
  toTs,
  nowMs,
});

describe('fetchClosedCandles', () => {
  it('pages until the range is covered, keeping closed candles in range', async () => {
    const times = Array.from({ length: 10 }, (_, k) => T + k * H);
    const c = client(times, 3);
    const got = await fetchClosedCandles(c, request(T + H, T + 7 * H, T + 20 * H), retry);
    expect([...got.closed.keys()]).toEqual(times.slice(1, 8));
    expect(c.sinces).toEqual([T + H, T + 4 * H, T + 7 * H]);
    expect(got.requests).toBe(3);
  });

  it('drops the forming candle and reports its time', async () => {
    const times = [T, T + H, T + 2 * H];
    const got = await fetchClosedCandles(client(times, 10), request(T, T + H, T + 2 * H + 1), retry);
    expect([...got.closed.keys()]).toEqual([T, T + H]);
    expect(got.formingTs).toEqual([T + 2 * H]);
  });

  it('stops on an empty page (the exchange has nothing further: a gap at the end)', async () => {
    const c = client([T, T + H], 1);
    const got = await fetchClosedCandles(c, request(T, T + 5 * H, T + 10 * H), retry);
    expect([...got.closed.keys()]).toEqual([T, T + H]);
    expect(c.sinces).toEqual([T, T + H, T + 2 * H]);
  });
});
