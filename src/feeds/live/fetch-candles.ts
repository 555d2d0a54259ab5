// Pages through one symbol's candles over a time range, each request retried: closed candles by open time.
import type { Bar } from '../../market/bar.js';
import { splitClosed } from './closed-bars.js';
import type { ExchangeClient } from './exchange-client.js';
import { type RetryContext, withRetry } from './retry.js';

export interface FetchedCandles {
  /** Closed candles with open time in [fromTs, toTs], by open time (the first one of a time returned wins). */
  readonly closed: Map<number, Bar>;
  /** Forming candles met (dropped): their open times, for the log. */
  readonly formingTs: readonly number[];
  /** Candles without a usable open time (dropped). */
  readonly unplaced: number;
  /** Requests made. */
  readonly requests: number;
}

/**
 * Closed candles of `symbol` opening in [fromTs, toTs], following pages until one reaches `toTs`, comes back
 * empty or stops advancing. Candles that had not closed at `nowMs` are dropped. Throws what `withRetry`
 * throws once a request has used up its attempts.
 */
export async function fetchClosedCandles(
  client: ExchangeClient,
  request: {
    symbol: string;
    timeframe: string;
    timeframeMs: number;
    fromTs: number;
    toTs: number;
    nowMs: number;
  },
  retry: RetryContext,
): Promise<FetchedCandles> {
  const { symbol, timeframe, timeframeMs, fromTs, toTs, nowMs } = request;
  const closed = new Map<number, Bar>();
  const formingTs: number[] = [];
  let unplaced = 0;
  let requests = 0;
  for (let since = fromTs; since <= toTs; ) {
    const page = await withRetry(
      () => client.fetchCandles(symbol, timeframe, since, client.pageLimit),
      retry,
    );
    requests++;
    const split = splitClosed(page, timeframeMs, nowMs);
    unplaced += split.unplaced.length;
    for (const c of split.forming) formingTs.push(c.ts);
    let last = Number.NEGATIVE_INFINITY;
    for (const c of split.closed) {
      last = Math.max(last, c.ts);
      if (c.ts >= fromTs && c.ts <= toTs && !closed.has(c.ts)) closed.set(c.ts, c);
    }
    for (const c of split.forming) last = Math.max(last, c.ts);
    if (last < since) break; // empty page, or the exchange ignored `since`: nothing further to get
    since = last + timeframeMs;
  }
  return { closed, formingTs, unplaced, requests };
}
