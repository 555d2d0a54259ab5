// Public API of the feeds: the frame contract and the historical replay feed. The live exchange feed is in
// ./live/index.js, imported on its own (lazily) so that ccxt loads only for commands that talk to an exchange.
export type { FeedKind, FrameEvent, FrameFeed } from './frame-feed.js';
export { createReplayFeed, type ReplayFeed } from './replay-feed.js';
