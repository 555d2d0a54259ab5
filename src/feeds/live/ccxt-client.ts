// An ExchangeClient over ccxt's public REST API, optionally pointed at another base URL (proxy, fake exchange).
import type { Exchange } from 'ccxt';
import { ConfigError } from '../../core/errors.js';
import type { Bar } from '../../market/bar.js';
import type { ExchangeClient } from './exchange-client.js';
import { translateExchangeError } from './exchange-errors.js';

export interface CcxtClientOptions {
  /** ccxt exchange id, e.g. `binance`. */
  readonly exchangeId: string;
  /** Replaces the scheme and host of every API endpoint (paths kept): `http://127.0.0.1:8999`. */
  readonly apiUrl?: string | undefined;
  /** Timeout of one HTTP request, ms (ccxt's default is 10 000). */
  readonly timeoutMs?: number | undefined;
  /** Candles per request; default: what ccxt says the exchange serves for spot, else 500. */
  readonly pageLimit?: number | undefined;
}

/**
 * `api` (ccxt's `urls.api`: a string or a nested object of strings) with the scheme and host of every URL
 * replaced by `baseUrl` (which may carry a path prefix). Templates such as `https://api.{hostname}/v5` work.
 */
export function rebaseApiUrls(api: unknown, baseUrl: string): unknown {
  const base = baseUrl.replace(/\/+$/, '');
  if (typeof api === 'string') return api.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]+/i, base);
  if (api !== null && typeof api === 'object')
    return Object.fromEntries(Object.entries(api).map(([key, value]) => [key, rebaseApiUrls(value, base)]));
  return api;
}

/** Limits ccxt to spot markets, so loading markets calls no futures, options or margin endpoint. */
function restrictToSpot(options: Record<string, unknown>): void {
  const fetchMarkets = options['fetchMarkets'];
  if (Array.isArray(fetchMarkets)) options['fetchMarkets'] = ['spot'];
  else if (fetchMarkets !== null && typeof fetchMarkets === 'object' && 'types' in fetchMarkets)
    options['fetchMarkets'] = { ...fetchMarkets, types: ['spot'] };
  if ('defaultType' in options) options['defaultType'] = 'spot';
  // binance: both would call private (keyed) margin / capital endpoints
  if ('fetchMargins' in options) options['fetchMargins'] = false;
  if (typeof options['fetchCurrencies'] === 'boolean') options['fetchCurrencies'] = false;
}

const toNumber = (v: unknown): number => (v === undefined || v === null ? Number.NaN : Number(v));

/**
 * Creates the ccxt exchange (ccxt is imported here, lazily: it is large). Throws ConfigError
 * EXCHANGE_UNKNOWN for an id ccxt does not know and EXCHANGE_NO_OHLCV for an exchange without candles.
 * A 2xx body that is not valid JSON is turned into a retryable malformed-response error (ccxt itself
 * would hand back the raw text, which reads as "no candles").
 */
export async function createCcxtClient(options: CcxtClientOptions): Promise<ExchangeClient> {
  const ccxt = await import('ccxt');
  const id = options.exchangeId;
  const classes = ccxt.exchanges as unknown as Record<string, unknown>;
  const Constructor = Object.hasOwn(classes, id) ? classes[id] : undefined;
  if (typeof Constructor !== 'function')
    throw new ConfigError(
      'EXCHANGE_UNKNOWN',
      `exchange "${id}" is not a ccxt exchange id (e.g. binance, kraken)`,
      {
        exchangeId: id,
      },
    );
  const exchange = new (Constructor as new (config: object) => Exchange)({
    enableRateLimit: true,
    ...(options.timeoutMs !== undefined && { timeout: options.timeoutMs }),
  });
  restrictToSpot(exchange.options);
  if (options.apiUrl !== undefined)
    exchange.urls.api = rebaseApiUrls(exchange.urls.api, options.apiUrl) as never;
  if (exchange.has['fetchOHLCV'] !== true)
    throw new ConfigError(
      'EXCHANGE_NO_OHLCV',
      `exchange "${id}" offers no candles (fetchOHLCV) through ccxt`,
      {
        exchangeId: id,
      },
    );
  // Every response passes here first: the HTTP status decides over exchange-specific body codes (binance
  // maps a 500 with code -1000 to OperationFailed), and a 2xx body must be JSON.
  const onRestResponse = exchange.onRestResponse.bind(exchange);
  exchange.onRestResponse = (status, statusText, url, method, ...rest) => {
    const text: unknown = onRestResponse(status, statusText, url, method, ...rest);
    const body = typeof text === 'string' ? (text.length > 160 ? `${text.slice(0, 160)}...` : text) : '';
    const where = `${id} ${method} ${url} HTTP ${status} ${statusText ?? ''}`.trimEnd();
    if (status === 429 || status === 418) throw new ccxt.RateLimitExceeded(`${where}: ${body}`);
    if (typeof status === 'number' && status >= 500) throw new ccxt.ExchangeNotAvailable(`${where}: ${body}`);
    if (typeof status === 'number' && status >= 200 && status < 300 && typeof text === 'string') {
      try {
        JSON.parse(text);
      } catch {
        throw new ccxt.BadResponse(`${where} returned malformed JSON: ${body}`);
      }
    }
    return text;
  };
  const spotLimit = (exchange.features?.['spot'] as { fetchOHLCV?: { limit?: unknown } } | undefined)
    ?.fetchOHLCV?.limit;
  const pageLimit = options.pageLimit ?? (typeof spotLimit === 'number' && spotLimit > 0 ? spotLimit : 500);

  const call = async <T>(what: string, request: () => Promise<T>): Promise<T> => {
    try {
      return await request();
    } catch (error) {
      throw translateExchangeError(error, what);
    }
  };

  return {
    exchangeId: id,
    rateLimitMs: Number(exchange.rateLimit ?? 0) || 0,
    pageLimit,
    async checkMarket(symbols, timeframe) {
      await call(`${id} markets`, () => exchange.loadMarkets());
      const unknown = symbols.filter((s) => exchange.markets?.[s] === undefined);
      if (unknown.length > 0)
        throw new ConfigError(
          'SYMBOL_UNKNOWN_ON_EXCHANGE',
          `${id} does not list ${unknown.join(', ')} among its spot markets (symbols look like BTC/USDT)`,
          { exchangeId: id, symbols: unknown },
        );
      if (exchange.timeframes[timeframe] === undefined)
        throw new ConfigError(
          'TIMEFRAME_UNSUPPORTED_ON_EXCHANGE',
          `${id} does not offer ${timeframe} candles; it offers ${Object.keys(exchange.timeframes).join(', ')}`,
          { exchangeId: id, timeframe },
        );
    },
    async fetchCandles(symbol, timeframe, sinceTs, limit) {
      const rows = await call(
        `${id} ${symbol} ${timeframe} candles since ${new Date(sinceTs).toISOString()}`,
        () => exchange.fetchOHLCV(symbol, timeframe, sinceTs, limit),
      );
      return rows.map(
        (row): Bar => ({
          ts: toNumber(row[0]),
          open: toNumber(row[1]),
          high: toNumber(row[2]),
          low: toNumber(row[3]),
          close: toNumber(row[4]),
          volume: toNumber(row[5]),
        }),
      );
    },
  };
}
