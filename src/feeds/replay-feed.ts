// The replay feed: releases historical frames one at a time into a growing MarketData, so no service can
// see a bar before it closes (the live feed appends the same way).
import { appendFrameOf, createMarketData, type MarketData } from '../market/market-data.js';
import type { FrameEvent, FrameFeed } from './frame-feed.js';

/** A FrameFeed over history: `next()` releases the next frame at once (null when the history is exhausted). */
export interface ReplayFeed extends FrameFeed {
  next(): FrameEvent | null;
}

/**
 * A feed over frames [from, to) of `history`. Frames before `from` are released at once as warm-up
 * history (indicators need them) without events; each `next()` then appends one frame and returns it.
 */
export function createReplayFeed(history: MarketData, from: number, to = history.length): ReplayFeed {
  const market = createMarketData(history.symbols, history.timeframeMs, Math.max(1, to));
  const release = (t: number) => appendFrameOf(market, history, t);
  for (let t = 0; t < from; t++) release(t);
  let t = from;
  return {
    market,
    kind: 'historical',
    next() {
      if (t >= to) return null;
      release(t);
      const event = { market, t, ts: market.ts[t]! };
      t++;
      return event;
    },
  };
}
