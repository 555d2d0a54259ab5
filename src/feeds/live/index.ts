// Public API of the live exchange feed: exchange configuration, the ccxt client, the live FrameFeed, history download.
export { backoffDelayMs } from './backoff.js';
export { type CcxtClientOptions, createCcxtClient, rebaseApiUrls } from './ccxt-client.js';
export { alignToGrid, lastClosedBarTs, splitClosed } from './closed-bars.js';
export { type DownloadedCsv, formatCsvRow, scanDownloadedCsv } from './download-csv.js';
export {
  type DownloadOptions,
  type DownloadProgress,
  type DownloadResult,
  downloadHistory,
} from './download-history.js';
export type { ExchangeClient } from './exchange-client.js';
export {
  type ExchangeConfig,
  type ExchangeConfigInput,
  ExchangeConfigSchema,
  type RetryPolicy,
  RetryPolicySchema,
  resolveExchangeConfig,
} from './exchange-config.js';
export { type RetryableKind, retryableKind, translateExchangeError } from './exchange-errors.js';
export { fetchClosedCandles } from './fetch-candles.js';
export { assembleFrames, type FrameDecision } from './frame-assembly.js';
export { createLiveFeed, type LiveFeed, type LiveFeedOptions } from './live-feed.js';
export { type OpenLiveFeedOptions, openLiveFeed } from './open-live-feed.js';
export { type RetryContext, withRetry } from './retry.js';
