// Small deterministic markets for tests: built from close prices, bars valid by construction.
import { appendFrame, createMarketData, type MarketData } from '../src/market/market-data.js';

export const HOUR_MS = 3_600_000;
export const T0 = Date.UTC(2024, 0, 1);

/**
 * A market whose symbol i closes at closes[i][t]; open = previous close (first open = close),
 * high/low bracket open and close by 0.1 %, volume 1000. Hourly unless `timeframeMs` says otherwise.
 */
export function marketFromCloses(
  symbols: readonly string[],
  closes: readonly (readonly number[])[],
  timeframeMs = HOUR_MS,
): MarketData {
  const frames = closes[0]!.length;
  const data = createMarketData(symbols, timeframeMs, frames);
  for (let t = 0; t < frames; t++) {
    const ts = T0 + t * timeframeMs;
    appendFrame(
      data,
      ts,
      symbols.map((_, i) => {
        const close = closes[i]![t]!;
        const open = t > 0 ? closes[i]![t - 1]! : close;
        return {
          ts,
          open,
          high: Math.max(open, close) * 1.001,
          low: Math.min(open, close) * 0.999,
          close,
          volume: 1000,
        };
      }),
    );
  }
  return data;
}

/** A seeded geometric random walk of `frames` closes per symbol (deterministic, no Math.random). */
export function randomWalkCloses(
  symbols: number,
  frames: number,
  seed: number,
  volPerBar = 0.01,
): number[][] {
  let state = seed >>> 0 || 1;
  const uniform = () => {
    // xorshift32: enough for test fixtures
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 4294967296;
  };
  return Array.from({ length: symbols }, (_, i) => {
    let price = 100 * (i + 1);
    return Array.from({ length: frames }, () => {
      price *= Math.exp((uniform() - 0.5) * 2 * volPerBar * Math.sqrt(3));
      return price;
    });
  });
}
