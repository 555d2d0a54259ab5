// The one interface the live feed and `data fetch` talk to an exchange through (ccxt in production, fakes in tests).
import type { Bar } from '../../market/bar.js';

/** Public market data of one exchange. Methods throw the errors of exchange-errors.ts. */
export interface ExchangeClient {
  /** ccxt id, for messages (`binance`). */
  readonly exchangeId: string;
  /** Minimum spacing between requests the exchange asks for, ms (ccxt's rateLimit); a floor of retry delays. */
  readonly rateLimitMs: number;
  /** Most candles one `fetchCandles` returns. */
  readonly pageLimit: number;
  /**
   * Loads the exchange's markets once and checks the request can be served: a symbol the exchange does not
   * list, or a timeframe it does not offer, is a ConfigError naming it.
   */
  checkMarket(symbols: readonly string[], timeframe: string): Promise<void>;
  /**
   * Up to `limit` candles of `symbol` opening at or after `sinceTs` (epoch ms), oldest first, as the exchange
   * returned them: the last may still be forming, and values are not checked (NaN where one was missing).
   */
  fetchCandles(symbol: string, timeframe: string, sinceTs: number, limit: number): Promise<readonly Bar[]>;
}
