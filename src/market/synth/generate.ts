// The synthetic market generator: market factor and regimes first, then each asset's OHLCV columns.
import { createMarketData, type MarketData } from '../market-data.js';
import { simulateAsset } from './asset-path.js';
import { simulateMarketFactor } from './market-factor.js';
import { resolveSynthOptions, type SynthOptions } from './options.js';
import { assetProfile } from './universe.js';

/** A generated market and the hidden regime of every frame. */
export interface SyntheticMarket {
  readonly data: MarketData;
  /** Regime code per frame (see `Regime`): 0 trending-up, 1 trending-down, 2 ranging. */
  readonly regimes: Uint8Array;
}

const HOUR_MS = 3_600_000;

/**
 * A synthetic market (model in docs/synthetic-market.md) together with its regime path.
 * Pure and deterministic: the same options give the same numbers on any machine. Each symbol has
 * its own random streams, so a symbol's series is the same whatever else is in the universe, and
 * a shorter run is a prefix of a longer one. Throws ConfigError on invalid options.
 */
export function generateSyntheticMarketWithRegimes(options: SynthOptions = {}): SyntheticMarket {
  const { seed, symbols, bars, startTs, timeframeMs } = resolveSynthOptions(options);
  const barHours = timeframeMs / HOUR_MS;
  const factor = simulateMarketFactor(seed, bars, barHours);
  const data = createMarketData(symbols, timeframeMs, bars);
  for (let t = 0; t < bars; t++) data.ts[t] = startTs + t * timeframeMs;
  const shocks = new Float64Array(bars);
  const uniforms = new Float64Array(2 * bars);
  const normals = new Float64Array(bars);
  symbols.forEach((symbol, column) => {
    const profile = assetProfile(symbol);
    simulateAsset({ data, column, symbol, profile, factor, seed, barHours, bars, shocks, uniforms, normals });
  });
  data.length = bars;
  return { data, regimes: factor.regimes };
}

/**
 * The built-in synthetic market: `bars` complete frames of `symbols` (default one year of hourly
 * bars of seven USDT pairs from 2024-01-01T00:00Z, seed 42). Pure and deterministic; see
 * `generateSyntheticMarketWithRegimes` for the guarantees. Throws ConfigError on invalid options.
 */
export function generateSyntheticMarket(options: SynthOptions = {}): MarketData {
  return generateSyntheticMarketWithRegimes(options).data;
}
