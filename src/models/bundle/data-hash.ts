// A stable fingerprint of market data: which bars a model was trained on.
import { createHash } from 'node:crypto';
import type { MarketData } from '../../market/market-data.js';

/** sha256 (hex) of the symbols, timeframe and every ts and OHLCV value of frames [from, to). */
export function marketDataHash(data: MarketData, from = 0, to = data.length): string {
  const n = data.symbols.length;
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ symbols: data.symbols, timeframeMs: data.timeframeMs }));
  const view = (a: Float64Array, width: number) =>
    new Uint8Array(a.buffer, a.byteOffset + from * width * 8, Math.max(0, to - from) * width * 8);
  hash.update(view(data.ts, 1));
  for (const column of [data.open, data.high, data.low, data.close, data.volume])
    hash.update(view(column, n));
  return hash.digest('hex');
}
