// The frame contract: one closed, complete frame as every consumer sees it, and the feeds that produce them.
import type { MarketData } from '../market/market-data.js';

/** One closed, complete frame as the services see it: the market so far and the frame's index in it. */
export interface FrameEvent {
  readonly market: MarketData;
  /** Index of the frame that just closed; bars after it do not exist yet for anyone. */
  readonly t: number;
  /** market.ts[t]. */
  readonly ts: number;
}

/**
 * A source of closed, complete frames (replay or live). `next()` resolves with the next frame once it has
 * closed, or null when the feed ends (history exhausted, or the feed was closed). A live feed may wait for a
 * bar close; a replay feed returns at once (synchronously, which keeps the replay loop fast).
 */
export interface FrameFeed {
  /** The market as the services see it: every frame released so far (plus warm-up history). */
  readonly market: MarketData;
  /**
   * `live`: frames arrive as bars close in real time (each one is committed before the next is awaited);
   * `historical`: frames are released as fast as they are asked for (commits may be batched).
   */
  readonly kind: FeedKind;
  next(): FrameEvent | null | Promise<FrameEvent | null>;
  /** Ends a waiting `next()` with null (a stop signal); optional for feeds that never wait. */
  close?(): void;
}

export type FeedKind = 'live' | 'historical';
