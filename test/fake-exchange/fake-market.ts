// The fake exchange's market: deterministic OHLCV for any symbol and bar time, computed directly (no history).
import type { Bar } from '../../src/market/bar.js';

/** A stable hash of a string to a 32-bit unsigned integer (FNV-1a). */
function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Uniform in [0, 1) from a seed and an index (a mixing function: same inputs, same number). */
function uniform(seed: number, k: number, salt: number): number {
  let x = (seed ^ Math.imul(k | 0, 0x9e3779b1) ^ Math.imul(Math.floor(k / 2 ** 32) + salt, 0x85ebca6b)) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d) >>> 0;
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b) >>> 0;
  x = (x ^ (x >>> 16)) >>> 0;
  return x / 2 ** 32;
}

const BASE_PRICE: Record<string, number> = { BTC: 42_000, ETH: 2_300, SOL: 100, BNB: 300 };

/** Rounds to 8 decimals, as the exchange prints prices; String() of the result reads back exactly. */
const round8 = (x: number) => Number(x.toFixed(8));

/** Price level of `symbol` at bar index `k`: slow and fast waves plus noise around a base price. */
function level(symbol: string, k: number): number {
  const seed = hashString(symbol);
  const base = BASE_PRICE[symbol.split('/')[0]!] ?? 10 + (seed % 990);
  const phase = (seed % 1000) / 159;
  const wave =
    0.08 * Math.sin((2 * Math.PI * k) / 500 + phase) + 0.03 * Math.sin((2 * Math.PI * k) / 47 + 2 * phase);
  return base * Math.exp(wave + 0.01 * (uniform(seed, k, 1) - 0.5));
}

/**
 * The closed bar of `symbol` opening at `ts` (a multiple of `timeframeMs`): open is the level at the bar's
 * index, close the level at the next, high and low a little outside both. Valid (prices > 0, high >= low).
 */
export function fakeBar(symbol: string, ts: number, timeframeMs: number): Bar {
  const k = Math.floor(ts / timeframeMs);
  const seed = hashString(symbol);
  const open = round8(level(symbol, k));
  const close = round8(level(symbol, k + 1));
  const high = round8(Math.max(open, close) * (1 + 0.004 * uniform(seed, k, 2)));
  const low = round8(Math.min(open, close) * (1 - 0.004 * uniform(seed, k, 3)));
  const volume = round8(50 + 100 * uniform(seed, k, 4));
  return { ts, open, high, low, close, volume };
}

/**
 * The candle of a bar still forming at `nowMs`: it has traded a fraction of the bar, so its close and volume
 * differ from the closed bar's (a feed that used it would be caught).
 */
export function formingBar(symbol: string, ts: number, timeframeMs: number, nowMs: number): Bar {
  const final = fakeBar(symbol, ts, timeframeMs);
  const f = Math.min(Math.max((nowMs - ts) / timeframeMs, 0), 1) * 0.9;
  const close = round8(final.open + (final.close - final.open) * f + final.open * 0.001);
  return {
    ts,
    open: final.open,
    high: round8(Math.max(final.open, close) * 1.0005),
    low: round8(Math.min(final.open, close) * 0.9995),
    close,
    volume: round8(final.volume * f),
  };
}

/** Binance's market id of a unified symbol: `BTC/USDT` -> `BTCUSDT`. */
export function marketId(symbol: string): string {
  return symbol.replace('/', '');
}
