// Test fixtures for the PPO agent: a tiny seeded market with its feature store, spec and normalisation.
import {
  createFeatureStore,
  type FeatureStore,
  fitNormalisation,
  type Normalisation,
  type ObservationSpec,
  updateFeatures,
} from '../../features/index.js';
import type { MarketData } from '../../market/market-data.js';
import { generateSyntheticMarket } from '../../market/synth.js';

/** A market with its features computed and a normalisation fitted on [0, trainTo). */
export interface PpoFixture {
  readonly market: MarketData;
  readonly spec: ObservationSpec;
  readonly store: FeatureStore;
  readonly norm: Normalisation;
  readonly trainTo: number;
}

/** `bars` hourly bars of `symbols` from the synthetic market (seed 7), 2 features, lookback 2. */
export function tinyFixture(bars = 240, symbols: readonly string[] = ['BTC/USDT', 'ETH/USDT']): PpoFixture {
  const market = generateSyntheticMarket({ seed: 7, bars, symbols: [...symbols] });
  const spec: ObservationSpec = { symbols: market.symbols, features: ['ret_1', 'rsi_14'], lookback: 2 };
  const store = createFeatureStore(market, spec.features, market.length);
  updateFeatures(store, market);
  const trainTo = Math.floor(bars * 0.75);
  return { market, spec, store, norm: fitNormalisation(store, 0, trainTo), trainTo };
}
