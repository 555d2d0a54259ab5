// Shared feature stores: one per (market, feature list), and the same values as a store of one's own.
import { describe, expect, it } from 'vitest';
import { createMarketData } from '../market/market-data.js';
import { createFeatureStore, updateFeatures } from './feature-store.js';
import { createSharedFeatureStores } from './shared-feature-stores.js';
import { appendSeries, syntheticSeries, toMarketData } from './test-fixtures.js';

const FEATURES = ['rsi_14', 'ret_1', 'macd_hist'];
const seriesA = syntheticSeries(80, 1);
const seriesB = syntheticSeries(80, 2, 20);

describe('shared feature stores', () => {
  it('gives one store per market and feature list (order counts), created empty', () => {
    const shared = createSharedFeatureStores();
    const market = toMarketData(['A', 'B'], [seriesA, seriesB]);
    const other = toMarketData(['A', 'B'], [seriesA, seriesB]);
    const store = shared.storeFor(market, FEATURES);
    expect(store.length).toBe(0);
    expect(shared.storeFor(market, [...FEATURES])).toBe(store);
    expect(shared.storeFor(market, [...FEATURES].reverse())).not.toBe(store);
    expect(shared.storeFor(other, FEATURES)).not.toBe(store);
    expect(createSharedFeatureStores().storeFor(market, FEATURES)).not.toBe(store);
    expect(() => shared.storeFor(market, ['nope'])).toThrow(/nope/);
  });

  it('holds what a store of its own would, computed at any pace while the market grows', () => {
    const full = toMarketData(['A', 'B'], [seriesA, seriesB]);
    const own = createFeatureStore(full, FEATURES);
    updateFeatures(own, full);
    // a market growing frame by frame, as a replay's feed releases them; the store is asked for now and then
    const growing = createMarketData(['A', 'B'], full.timeframeMs, 4);
    const shared = createSharedFeatureStores();
    for (let t = 0; t < full.length; t++) {
      appendSeries(growing, [seriesA, seriesB], t, t + 1);
      if (t % 7 === 3) updateFeatures(shared.storeFor(growing, FEATURES), growing);
    }
    const store = shared.storeFor(growing, FEATURES);
    updateFeatures(store, growing);
    const row = 2 * FEATURES.length;
    expect(store.length).toBe(full.length);
    expect(Array.from(store.values.subarray(0, full.length * row))).toEqual(
      Array.from(own.values.subarray(0, full.length * row)),
    );
  });
});
