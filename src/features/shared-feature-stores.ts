// Feature stores shared by the models trading one market: each feature list is computed once, not per model.
import type { MarketData } from '../market/market-data.js';
import { createFeatureStore, type FeatureStore } from './feature-store.js';

/**
 * One feature store per (market, feature list). Models that observe the same features (in the same order)
 * read the same store, so a frame's features are computed once however many models step on it, and a
 * model loaded late does not recompute the whole history. Sharing never changes a value: rows are final
 * once computed, and a store moved further by another model holds, at frame t, what a store of one's own
 * would hold.
 */
export interface SharedFeatureStores {
  /**
   * The store of `features` for `market` (the same object while the market is: a replay's market grows in
   * place), created empty on first use: bring it up to date with `updateFeatures` before reading a frame.
   * Throws like createFeatureStore for an unknown or duplicate feature.
   */
  storeFor(market: MarketData, features: readonly string[]): FeatureStore;
}

export function createSharedFeatureStores(): SharedFeatureStores {
  // weak: a market nobody trades any more takes its stores with it
  const byMarket = new WeakMap<MarketData, Map<string, FeatureStore>>();
  return {
    storeFor(market, features) {
      let stores = byMarket.get(market);
      if (stores === undefined) {
        stores = new Map();
        byMarket.set(market, stores);
      }
      const key = features.join('\u0000');
      let store = stores.get(key);
      if (store === undefined) {
        store = createFeatureStore(market, features, market.length);
        stores.set(key, store);
      }
      return store;
    },
  };
}
