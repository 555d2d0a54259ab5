// The observation builder: size, first observable frame, a hand-checked layout and refused mismatches.
import { describe, expect, it } from 'vitest';
import { DataError, ModelError } from '../core/errors.js';
import { FEATURE_NAMES } from './feature-registry.js';
import { createFeatureStore, updateFeatures } from './feature-store.js';
import type { Normalisation } from './normalisation.js';
import {
  buildObservation,
  firstObservableIndex,
  type ObservationSpec,
  observationSize,
  observationSpecSchema,
} from './observation.js';
import { flatCandles, toMarketData } from './test-fixtures.js';

const closesA = [100, 101, 103, 100, 104, 110];
const closesB = [50, 50, 49, 51, 52, 52];
const data = toMarketData(['A', 'B'], [flatCandles(closesA), flatCandles(closesB)]);
const store = createFeatureStore(data, ['ret_1', 'ret_4']);
updateFeatures(store, data);
const ln = Math.log;

/** A normalisation that leaves values unchanged (mean 0, std 1, wide clip). */
const identity: Normalisation = {
  kind: 'pooled-zscore',
  features: ['ret_1', 'ret_4'],
  mean: [0, 0],
  std: [1, 1],
  count: [1, 1],
  clip: 100,
  fromT: 0,
  toT: 6,
  firstTs: 0,
  lastTs: 0,
};
const spec: ObservationSpec = { symbols: ['A', 'B'], features: ['ret_1', 'ret_4'], lookback: 2 };
const weights = Float64Array.of(0.4, 0.35, 0.25);

describe('observation size and first observable frame', () => {
  it('is (1 + n) + lookback x n x features', () => {
    expect(observationSize(spec)).toBe(3 + 2 * 2 * 2);
    expect(
      observationSize({ symbols: ['a', 'b', 'c', 'd', 'e', 'f', 'g'], features: FEATURE_NAMES, lookback: 1 }),
    ).toBe(8 + 84);
    expect(() => observationSize({ ...spec, lookback: 0 })).toThrow(
      /lookback must be an integer >= 1, was 0/,
    );
  });

  it('is the largest warm-up + lookback - 1', () => {
    expect(firstObservableIndex(spec)).toBe(4 + 2 - 1);
    expect(firstObservableIndex({ symbols: ['a'], features: FEATURE_NAMES, lookback: 5 })).toBe(33 + 4);
    expect(() => firstObservableIndex({ ...spec, features: ['rsi'] })).toThrow(/unknown feature "rsi"/);
  });

  it('has a zod schema for manifests', () => {
    expect(observationSpecSchema.parse(JSON.parse(JSON.stringify(spec)))).toEqual(spec);
    expect(() => observationSpecSchema.parse({ ...spec, lookback: 1.5 })).toThrow();
  });
});

describe('buildObservation', () => {
  it('writes weights, then frames oldest to newest, each symbol, each feature (hand-checked)', () => {
    const out = new Float64Array(observationSize(spec));
    buildObservation(store, spec, identity, 5, weights, out);
    const expected = [
      0.4,
      0.35,
      0.25,
      // frame 4: A ret_1, A ret_4, B ret_1, B ret_4
      ln(104 / 100),
      ln(104 / 100),
      ln(52 / 51),
      ln(52 / 50),
      // frame 5
      ln(110 / 104),
      ln(110 / 101),
      ln(52 / 52),
      ln(52 / 50),
    ];
    for (const [k, e] of expected.entries()) expect(out[k], `index ${k}`).toBeCloseTo(e, 14);
  });

  it('normalises with the fitted mean and std (a zero std only centres) and clips', () => {
    const norm: Normalisation = { ...identity, mean: [0.01, 0.02], std: [0.02, 0], clip: 1.5 };
    const out = new Float64Array(observationSize(spec));
    buildObservation(store, spec, norm, 5, weights, out);
    const clip = (x: number) => Math.min(1.5, Math.max(-1.5, x));
    expect(out[3]).toBeCloseTo(clip((ln(104 / 100) - 0.01) / 0.02), 12); // 1.46
    expect(out[4]).toBeCloseTo(ln(104 / 100) - 0.02, 14);
    expect(out[5]).toBeCloseTo((ln(52 / 51) - 0.01) / 0.02, 12);
    expect(out[7]).toBe(1.5); // (ln(110 / 104) - 0.01) / 0.02 = 2.3 -> clipped
    expect(out[9]).toBe(-0.5); // (0 - 0.01) / 0.02
  });

  it('takes any subset of the store symbols and features, in the spec order', () => {
    const sub: ObservationSpec = { symbols: ['B'], features: ['ret_4', 'ret_1'], lookback: 1 };
    const out = new Float64Array(observationSize(sub));
    buildObservation(store, sub, identity, 4, Float64Array.of(1, 0), out);
    expect([...out]).toEqual([1, 0, ln(52 / 50), ln(52 / 51)]);
  });

  it('gives the same output when the spec comes back, with another store or normalisation too', () => {
    const sub: ObservationSpec = { symbols: ['B', 'A'], features: ['ret_4'], lookback: 1 };
    const fresh = () => ({ ...sub }); // a new spec object: looked up from scratch
    const observe = (s: ObservationSpec, st = store, norm = identity) => {
      const out = new Float64Array(observationSize(s));
      buildObservation(st, s, norm, 5, Float64Array.of(1, 0, 0), out);
      return [...out];
    };
    const first = observe(sub);
    expect(observe(sub)).toEqual(first);
    expect(observe(fresh())).toEqual(first);
    // the same spec on a store with the features in another order, then with another normalisation
    const reordered = createFeatureStore(data, ['ret_4', 'ret_1']);
    updateFeatures(reordered, data);
    expect(observe(sub, reordered)).toEqual(first);
    const shifted = { ...identity, features: ['ret_4'], mean: [1], std: [1], count: [1] };
    expect(observe(sub, reordered, shifted)).toEqual(observe(fresh(), reordered, shifted));
    expect(observe(sub, reordered, shifted)[3]).toBeCloseTo(first[3]! - 1, 14);
    expect(observe(sub)).toEqual(first);
  });

  it('refuses buffers and weights of the wrong size, naming expected and found', () => {
    const bad = new Float64Array(10);
    expect(() => buildObservation(store, spec, identity, 5, weights, bad)).toThrow(ModelError);
    expect(() => buildObservation(store, spec, identity, 5, weights, bad)).toThrow(
      /observation buffer has length 10, expected 11 \(1 \+ 2 symbols \+ lookback 2 x 2 symbols x 2 features\)/,
    );
    const out = new Float64Array(11);
    expect(() => buildObservation(store, spec, identity, 5, Float64Array.of(1, 0), out)).toThrow(
      /portfolio weights have length 2, expected 3 \(cash \+ 2 symbols\)/,
    );
  });

  it('refuses frames before the first observable one or not yet computed', () => {
    const out = new Float64Array(11);
    expect(() => buildObservation(store, spec, identity, 4, weights, out)).toThrow(DataError);
    expect(() => buildObservation(store, spec, identity, 4, weights, out)).toThrow(
      /frame 4 cannot be observed: it must be >= 5 \(warm-up 4 \+ lookback 2 - 1\) and < 6/,
    );
    expect(() => buildObservation(store, spec, identity, 6, weights, out)).toThrow(
      /frame 6 cannot be observed/,
    );
  });

  it('refuses symbols or features missing from the store or the normalisation', () => {
    const out = new Float64Array(11);
    expect(() =>
      buildObservation(store, { ...spec, symbols: ['A', 'C'] }, identity, 5, weights, out),
    ).toThrow(/symbol C is not in the feature store \(has A, B\)/);
    const norm1 = { ...identity, features: ['ret_1'], mean: [0], std: [1], count: [1] };
    expect(() => buildObservation(store, spec, norm1, 5, weights, out)).toThrow(
      /feature ret_4 is not in the normalisation \(has ret_1\)/,
    );
    const small = createFeatureStore(data, ['ret_1']);
    updateFeatures(small, data);
    expect(() => buildObservation(small, spec, identity, 5, weights, out)).toThrow(
      /feature ret_4 is not in the feature store \(has ret_1\)/,
    );
  });
});
