// Normalisation: fitted on [fromT, toT) only, pooled over symbols, JSON-safe, zero std without NaN.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../core/errors.js';
import { createFeatureStore, type FeatureStore, updateFeatures } from './feature-store.js';
import { fitNormalisation, normalisationSchema, normaliseValue } from './normalisation.js';
import { flatCandles, syntheticSeries, toMarketData } from './test-fixtures.js';

function store(features: readonly string[], length = 60): FeatureStore {
  const data = toMarketData(['A', 'B'], [syntheticSeries(length, 5), syntheticSeries(length, 6, 40)]);
  const s = createFeatureStore(data, features);
  updateFeatures(s, data);
  return s;
}

describe('fitNormalisation', () => {
  it('pools each feature over symbols: mean and population std of frames [fromT, toT)', () => {
    const s = store(['ret_1', 'rsi_14']);
    const norm = fitNormalisation(s, 20, 30);
    for (let f = 0; f < 2; f++) {
      const xs: number[] = [];
      for (let t = 20; t < 30; t++) for (let i = 0; i < 2; i++) xs.push(s.values[(t * 2 + i) * 2 + f]!);
      const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
      const std = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
      expect(norm.mean[f]).toBeCloseTo(mean, 14);
      expect(norm.std[f]).toBeCloseTo(std, 14);
      expect(norm.count[f]).toBe(20);
    }
    expect(norm).toMatchObject({
      kind: 'pooled-zscore',
      features: ['ret_1', 'rsi_14'],
      clip: 5,
      fromT: 20,
      toT: 30,
    });
    expect(norm.firstTs).toBe(20 * 3_600_000);
    expect(norm.lastTs).toBe(29 * 3_600_000);
  });

  it('reads only frames [fromT, toT): changing values outside the range changes nothing', () => {
    const s = store(['ret_1', 'vol_24']);
    const before = fitNormalisation(s, 25, 40);
    const width = 2 * 2;
    for (let k = 0; k < 25 * width; k++) s.values[k] = 1e9;
    for (let k = 40 * width; k < s.length * width; k++) s.values[k] = -1e9;
    expect(fitNormalisation(s, 25, 40)).toEqual(before);
    s.values[25 * width] = 1e9; // but a value inside the range does
    expect(fitNormalisation(s, 25, 40).mean[0]).not.toBe(before.mean[0]);
  });

  it('skips the NaNs before warm-up and refuses a range where a feature has no value', () => {
    const s = store(['ret_1', 'rsi_14']);
    expect(fitNormalisation(s, 0, 20).count).toEqual([38, 12]);
    expect(() => fitNormalisation(s, 0, 14)).toThrow(
      /rsi_14 has no valid value in frames \[0, 14\); its warm-up is frame 14/,
    );
  });

  it('refuses a range outside the computed frames and a bad clip', () => {
    const s = store(['ret_1']);
    expect(() => fitNormalisation(s, 10, 61)).toThrow(ConfigError);
    expect(() => fitNormalisation(s, 10, 61)).toThrow(
      /0 <= fromT < toT <= 60 \(frames computed\), was \[10, 61\)/,
    );
    expect(() => fitNormalisation(s, 10, 10)).toThrow(/was \[10, 10\)/);
    expect(() => fitNormalisation(s, 10, 20, { clip: 0 })).toThrow(/clip must be a finite number > 0, was 0/);
  });

  it('is plain JSON that the schema reads back unchanged', () => {
    const norm = fitNormalisation(store(['ret_1', 'macd', 'dx_14']), 33, 60, { clip: 3 });
    const back = normalisationSchema.parse(JSON.parse(JSON.stringify(norm)));
    expect(back).toEqual(norm);
    expect(() => normalisationSchema.parse({ ...norm, std: [1] })).toThrow(/one entry per feature/);
    expect(() => normalisationSchema.parse({ ...norm, extra: 1 })).toThrow();
  });

  it('a zero std centres without dividing (no NaN or Infinity), and values are clipped', () => {
    const data = toMarketData(['A'], [flatCandles(Array.from({ length: 30 }, () => 2))]);
    const s = createFeatureStore(data, ['ret_1', 'rsi_14']);
    updateFeatures(s, data);
    const norm = fitNormalisation(s, 0, 30, { clip: 5 });
    expect(norm.std).toEqual([0, 0]);
    expect(normaliseValue(norm, 0, 0)).toBe(0);
    expect(normaliseValue(norm, 0, 0.25)).toBe(0.25);
    expect(normaliseValue(norm, 1, 100)).toBe(5);
    expect(normaliseValue(norm, 1, 0)).toBe(-5);
  });
});
