// The live feed from the workspace's `exchange` configuration: what the supervisor calls for `--live`.
import type { ServiceLogger } from '../../core/logger.js';
import { createCcxtClient } from './ccxt-client.js';
import type { ExchangeConfig } from './exchange-config.js';
import { createLiveFeed, type LiveFeed } from './live-feed.js';

export interface OpenLiveFeedOptions {
  /** The resolved `exchange` section (resolveExchangeConfig). */
  readonly exchange: ExchangeConfig;
  /** `--exchange-api-url`: wins over `exchange.apiUrl`. */
  readonly apiUrl?: string | undefined;
  /** The earliest `lastBarTs` of the services, or null for a fresh start. */
  readonly resumeAfterTs: number | null;
  /** Wins over `exchange.warmupBars` (e.g. what the deployed model's lookback needs). */
  readonly warmupBars?: number | undefined;
  readonly logger: ServiceLogger;
}

/**
 * Creates the ccxt client for `exchange.id` (pointed at `apiUrl` if given) and the live feed over it, with
 * the configured symbols, timeframe, delays and retries. Throws what createCcxtClient / createLiveFeed throw.
 */
export async function openLiveFeed(options: OpenLiveFeedOptions): Promise<LiveFeed> {
  const { exchange } = options;
  const client = await createCcxtClient({
    exchangeId: exchange.id,
    apiUrl: options.apiUrl ?? exchange.apiUrl,
    timeoutMs: exchange.requestTimeoutMs,
  });
  return createLiveFeed({
    client,
    symbols: exchange.symbols,
    timeframe: exchange.timeframe,
    resumeAfterTs: options.resumeAfterTs,
    warmupBars: options.warmupBars ?? exchange.warmupBars,
    pollDelayMs: exchange.pollDelaySeconds * 1000,
    repollMs: exchange.repollSeconds * 1000,
    missingBarDeadlineMs: exchange.missingBarDeadlineSeconds * 1000,
    retry: exchange.retry,
    startupDeadlineMs: exchange.startupDeadlineSeconds * 1000,
    logger: options.logger,
  });
}
