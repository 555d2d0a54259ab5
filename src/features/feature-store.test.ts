// The feature store: layout, warm-up NaNs, flat markets, growth, refused inputs and speed.
import { describe, expect, it } from 'vitest';
import { DataError } from '../core/errors.js';
import { sliceMarketData } from '../market/market-data.js';
import { FEATURE_NAMES, featureDefinition } from './feature-registry.js';
import { createFeatureStore, featureOffset, featureValue, updateFeatures } from './feature-store.js';
import {
  flatCandles,
  runKernel,
  syntheticSeries,
  toMarketData,
  toMarketDataUnchecked,
} from './test-fixtures.js';

const seriesA = syntheticSeries(60, 1);
const seriesB = syntheticSeries(60, 2, 20);

describe('feature store', () => {
  it('stores every feature of every symbol row-major (frame, symbol, feature), equal to the kernels', () => {
    const data = toMarketData(['A', 'B'], [seriesA, seriesB]);
    const store = createFeatureStore(data, ['rsi_14', 'ret_1', 'macd_hist'], 1);
    expect(updateFeatures(store, data)).toBe(60);
    expect(store.length).toBe(60);
    expect(store.warmUps).toEqual([14, 1, 33]);
    [seriesA, seriesB].forEach((s, i) => {
      store.features.forEach((name, f) => {
        const def = featureDefinition(name);
        const expected = runKernel(def.createKernel(), s)[def.output]!;
        for (let t = 0; t < 60; t++) {
          const v = store.values[(t * 2 + i) * 3 + f]!;
          expect(Object.is(v, expected[t]), `${name} ${i} ${t}`).toBe(true);
          expect(featureOffset(store, t, i, f)).toBe((t * 2 + i) * 3 + f);
        }
      });
    });
    expect(featureValue(store, 40, 'B', 'ret_1')).toBe(Math.log(seriesB.close[40]! / seriesB.close[39]!));
    expect(store.ts[59]).toBe(59 * 3_600_000);
  });

  it('holds NaN before each warm-up and finite values from it on', () => {
    const data = toMarketData(['A'], [seriesA]);
    const store = createFeatureStore(data, FEATURE_NAMES);
    updateFeatures(store, data);
    store.features.forEach((name, f) => {
      for (let t = 0; t < 60; t++) {
        const v = store.values[t * store.features.length + f]!;
        expect(t < store.warmUps[f]! ? Number.isNaN(v) : Number.isFinite(v), `${name} at ${t}`).toBe(true);
      }
    });
  });

  it('gives neutral finite values on a flat market (no 0/0)', () => {
    const data = toMarketData(
      ['A'],
      [
        flatCandles(
          Array.from({ length: 40 }, () => 0.1),
          3,
        ),
      ],
    );
    const store = createFeatureStore(data, FEATURE_NAMES);
    updateFeatures(store, data);
    const last = Object.fromEntries(store.features.map((name, f) => [name, store.values[39 * 12 + f]]));
    expect(last).toEqual({
      ret_1: 0,
      ret_4: 0,
      ret_24: 0,
      macd: 0,
      macd_signal: 0,
      macd_hist: 0,
      rsi_14: 50,
      cci_14: 0,
      dx_14: 0,
      atr_14: 0,
      vol_24: 0,
      volume_z_24: 0,
    });
  });

  it('refuses unknown features, other symbols, shrunk or replaced data', () => {
    const data = toMarketData(['A', 'B'], [seriesA, seriesB]);
    expect(() => createFeatureStore(data, ['ret_2'])).toThrow(
      /unknown feature "ret_2"; known features: ret_1/,
    );
    const store = createFeatureStore(data, ['ret_1']);
    updateFeatures(store, data);
    const other = toMarketData(['B', 'A'], [seriesB, seriesA]);
    expect(() => updateFeatures(store, other)).toThrow(
      /symbols \[B, A\] differ from the feature store's \[A, B\]/,
    );
    expect(() => updateFeatures(store, sliceMarketData(data, 0, 10))).toThrow(DataError);
    expect(() => updateFeatures(store, sliceMarketData(data, 0, 10))).toThrow(
      /has 10 frames but .* already computed 60/,
    );
    const shifted = toMarketData(['A', 'B'], [seriesA, seriesB], 3_600_000);
    expect(() => updateFeatures(store, shifted)).toThrow(/not the data the feature store was computed from/);
    expect(updateFeatures(store, data)).toBe(0);
  });

  // Speed is measured by `npm run bench`, not asserted here (no timing assertions in tests).
  it('computes a year of hourly bars x 7 symbols x 12 features, every value finite after warm-up', () => {
    const symbols = ['AAVE', 'AVAX', 'BTC', 'LINK', 'ETH', 'LTC', 'UNI'];
    const data = toMarketDataUnchecked(
      symbols,
      symbols.map((_, i) => syntheticSeries(8760, 100 + i)),
    );
    const store = createFeatureStore(data, FEATURE_NAMES);
    updateFeatures(store, data);
    expect(store.length).toBe(8760);
    const first = Math.max(...store.warmUps);
    let nonFinite = 0;
    for (
      let k = first * symbols.length * FEATURE_NAMES.length;
      k < 8760 * symbols.length * FEATURE_NAMES.length;
      k++
    )
      if (!Number.isFinite(store.values[k]!)) nonFinite++;
    expect(nonFinite).toBe(0);
  });
});
