// Causality of features and observations: prefixes, perturbed futures and chunked updates change nothing earlier.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMarketData, type MarketData } from '../market/market-data.js';
import { FEATURE_NAMES } from './feature-registry.js';
import { createFeatureStore, type FeatureStore, updateFeatures } from './feature-store.js';
import { fitNormalisation } from './normalisation.js';
import { buildObservation, firstObservableIndex, observationSize } from './observation.js';
import {
  appendSeries,
  type Series,
  seriesFromTicks,
  syntheticSeries,
  toMarketData,
} from './test-fixtures.js';

const SYMBOLS = ['A', 'B'];
type Step = [number, number, number, number];

/** Integer ticks around 10.00 so equal highs, lows and closes (ties, flat windows, zero volume) are common. */
const step = fc.tuple(
  fc.integer({ min: 995, max: 1005 }),
  fc.integer({ min: 0, max: 3 }),
  fc.integer({ min: 0, max: 3 }),
  fc.integer({ min: 0, max: 20 }),
) as fc.Arbitrary<Step>;
const frames = (min: number, max: number) =>
  fc.array(fc.tuple(step, step), { minLength: min, maxLength: max });

function toSeries(rows: readonly [Step, Step][]): Series[] {
  return SYMBOLS.map((_, i) => seriesFromTicks(rows.map((r) => r[i]!)));
}

function computed(data: MarketData): FeatureStore {
  const store = createFeatureStore(data, FEATURE_NAMES, 8);
  updateFeatures(store, data);
  return store;
}

/** Rows [0, rows) of two stores are identical, NaN for NaN and bit for bit otherwise. */
function expectSameRows(a: FeatureStore, b: FeatureStore, rows: number): void {
  const width = a.symbols.length * a.features.length;
  for (let k = 0; k < rows * width; k++) {
    if (!Object.is(a.values[k], b.values[k]))
      throw new Error(
        `value ${k} (frame ${Math.floor(k / width)}) differs: ${a.values[k]} vs ${b.values[k]}`,
      );
  }
}

/** Observations of frames [from, to] for both stores, with the same normalisation and weights. */
function expectSameObservations(a: FeatureStore, b: FeatureStore, to: number, lookback: number): void {
  const spec = { symbols: SYMBOLS, features: FEATURE_NAMES, lookback };
  const from = firstObservableIndex(spec);
  if (to < from) return;
  const norm = fitNormalisation(a, 0, to + 1);
  expect(fitNormalisation(b, 0, to + 1)).toEqual(norm);
  const weights = Float64Array.of(0.5, 0.25, 0.25);
  const oa = new Float64Array(observationSize(spec));
  const ob = new Float64Array(observationSize(spec));
  for (let t = from; t <= to; t++) {
    buildObservation(a, spec, norm, t, weights, oa);
    buildObservation(b, spec, norm, t, weights, ob);
    expect(ob).toEqual(oa);
  }
}

describe('causality', () => {
  it('(a) features of a prefix of length k equal those of the full series at every index < k', () => {
    fc.assert(
      fc.property(frames(1, 80), fc.nat(), (rows, kSeed) => {
        const k = kSeed % (rows.length + 1);
        const series = toSeries(rows);
        const full = computed(toMarketData(SYMBOLS, series));
        const prefix = computed(
          toMarketData(
            SYMBOLS,
            series.map((s) => cut(s, k)),
          ),
        );
        expect(prefix.length).toBe(k);
        expectSameRows(prefix, full, k);
      }),
      { numRuns: 60, seed: 20240501 },
    );
  });

  it('(b) replacing every bar after t (prices and volumes) leaves features and observations at <= t unchanged', () => {
    fc.assert(
      fc.property(frames(40, 70), frames(1, 30), fc.nat(), (rows, future, tSeed) => {
        const t = tSeed % rows.length;
        const changed = [...rows.slice(0, t + 1), ...future];
        const a = computed(toMarketData(SYMBOLS, toSeries(rows)));
        const b = computed(toMarketData(SYMBOLS, toSeries(changed)));
        expectSameRows(a, b, t + 1);
        expectSameObservations(a, b, t, 2);
      }),
      { numRuns: 40, seed: 7 },
    );
  });

  it('(b) on a fixed series: a shock to every bar after frame 60 changes nothing up to 60', () => {
    const base = [syntheticSeries(120, 11), syntheticSeries(120, 12, 30)];
    const shocked = base.map((s) => {
      const m = (xs: number[], f: number) => xs.map((x, t) => (t > 60 ? x * f : x));
      return {
        open: m(s.open, 3),
        high: m(s.high, 3.5),
        low: m(s.low, 2.5),
        close: m(s.close, 3),
        volume: m(s.volume, 9),
      };
    });
    const a = computed(toMarketData(SYMBOLS, base));
    const b = computed(toMarketData(SYMBOLS, shocked));
    expectSameRows(a, b, 61);
    expectSameObservations(a, b, 60, 5);
    expect(Object.is(a.values[61 * 24], b.values[61 * 24])).toBe(false); // the shock does show from frame 61
  });

  it('(c) updating in chunks (some empty) gives exactly the one-shot values', () => {
    fc.assert(
      fc.property(frames(1, 80), fc.array(fc.nat({ max: 25 }), { maxLength: 12 }), (rows, chunks) => {
        const series = toSeries(rows);
        const oneShot = computed(toMarketData(SYMBOLS, series));
        const data = createMarketData(SYMBOLS, 3_600_000, 2);
        const store = createFeatureStore(data, FEATURE_NAMES, 1);
        let at = 0;
        for (const size of [...chunks, rows.length]) {
          const to = Math.min(rows.length, at + size);
          appendSeries(data, series, at, to);
          expect(updateFeatures(store, data)).toBe(to - at);
          at = to;
        }
        expect(store.length).toBe(rows.length);
        expectSameRows(store, oneShot, rows.length);
      }),
      { numRuns: 60, seed: 99 },
    );
  });

  it('(c) an update never changes a row already computed', () => {
    const series = [syntheticSeries(80, 3), syntheticSeries(80, 4)];
    const data = toMarketData(
      SYMBOLS,
      series.map((s) => cut(s, 50)),
    );
    const store = computed(data);
    const before = store.values.slice(0, 50 * 24);
    appendSeries(data, series, 50, 80);
    updateFeatures(store, data);
    expect(store.values.subarray(0, 50 * 24)).toEqual(before);
  });
});

function cut(s: Series, k: number): Series {
  return {
    open: s.open.slice(0, k),
    high: s.high.slice(0, k),
    low: s.low.slice(0, k),
    close: s.close.slice(0, k),
    volume: s.volume.slice(0, k),
  };
}
