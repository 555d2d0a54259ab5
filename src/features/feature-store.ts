// The feature store: incremental, causal feature values for every frame of a MarketData, in typed arrays.
import { DataError } from '../core/errors.js';
import type { MarketData } from '../market/market-data.js';
import type { FeatureKernel } from './feature-kernel.js';
import { resolveFeatures } from './feature-registry.js';

/**
 * Feature values of a universe, frame by frame. `values` is row-major by frame, then symbol, then
 * feature: the value of feature f of symbol i at frame t is at `(t * symbols.length + i) * features.length + f`
 * (see `featureOffset`). Rows [0, length) are final: an update only appends rows, never changes one.
 * Values before a feature's warm-up are NaN. `values` and `ts` may have spare capacity and are replaced
 * (not resized in place) when the store grows, so re-read them after an update.
 */
export interface FeatureStore {
  readonly symbols: readonly string[];
  readonly features: readonly string[];
  /** First valid frame of each feature, aligned with `features`. */
  readonly warmUps: readonly number[];
  /** Number of frames computed. */
  length: number;
  /** Frame open times (epoch ms) of the computed frames, copied from the market data. */
  ts: Float64Array;
  values: Float64Array;
  /** Streaming state (one kernel per symbol and feature group). Internal: do not touch. */
  readonly kernels: readonly (readonly FeatureKernel[])[];
  /** For each feature, which kernel (group index) and which of its outputs; a scratch row per group. Internal. */
  readonly plan: {
    readonly group: Int32Array;
    readonly output: Int32Array;
    readonly scratch: readonly Float64Array[];
  };
}

/**
 * An empty store computing `featureNames` (in that order) for the symbols of `data` (in its order).
 * Throws ConfigError for an empty list, an unknown feature (naming it and listing the known ones) or a
 * duplicate; DataError for no symbols.
 */
export function createFeatureStore(
  data: Pick<MarketData, 'symbols'>,
  featureNames: readonly string[],
  capacityFrames = 1024,
): FeatureStore {
  const defs = resolveFeatures(featureNames);
  if (data.symbols.length === 0)
    throw new DataError('FEATURE_STORE_NO_SYMBOLS', 'a feature store needs at least one symbol');
  const groups: string[] = [];
  const groupOf = new Int32Array(defs.length);
  const output = new Int32Array(defs.length);
  const creators: (() => FeatureKernel)[] = [];
  defs.forEach((def, f) => {
    let g = groups.indexOf(def.group);
    if (g < 0) {
      g = groups.push(def.group) - 1;
      creators.push(def.createKernel);
    }
    groupOf[f] = g;
    output[f] = def.output;
  });
  const symbols = Object.freeze([...data.symbols]);
  const cap = Math.max(1, capacityFrames);
  const kernels = symbols.map(() => creators.map((create) => create()));
  return {
    symbols,
    features: Object.freeze(defs.map((d) => d.name)),
    warmUps: Object.freeze(defs.map((d) => d.warmUp)),
    length: 0,
    ts: new Float64Array(cap),
    values: new Float64Array(cap * symbols.length * defs.length),
    kernels,
    plan: { group: groupOf, output, scratch: kernels[0]!.map((k) => new Float64Array(k.warmUps.length)) },
  };
}

function grow(store: FeatureStore, minFrames: number): void {
  const cap = Math.max(minFrames, store.ts.length * 2);
  const row = store.symbols.length * store.features.length;
  const ts = new Float64Array(cap);
  ts.set(store.ts.subarray(0, store.length));
  const values = new Float64Array(cap * row);
  values.set(store.values.subarray(0, store.length * row));
  store.ts = ts;
  store.values = values;
}

function checkSameData(store: FeatureStore, data: MarketData): void {
  const same =
    data.symbols.length === store.symbols.length && data.symbols.every((s, i) => s === store.symbols[i]);
  if (!same)
    throw new DataError(
      'FEATURE_STORE_SYMBOLS',
      `market data symbols [${data.symbols.join(', ')}] differ from the feature store's [${store.symbols.join(', ')}]`,
      { expected: store.symbols, found: data.symbols },
    );
  if (data.length < store.length)
    throw new DataError(
      'FEATURE_STORE_AHEAD',
      `market data has ${data.length} frames but the feature store already computed ${store.length}`,
      { expected: store.length, found: data.length },
    );
  const last = store.length - 1;
  if (last >= 0 && (data.ts[last] !== store.ts[last] || data.ts[0] !== store.ts[0]))
    throw new DataError(
      'FEATURE_STORE_DATA_CHANGED',
      `market data is not the data the feature store was computed from (frame ${last} has ts ${data.ts[last]}, expected ${store.ts[last]})`,
      { frame: last, expected: store.ts[last], found: data.ts[last] },
    );
}

/**
 * Computes the features of every frame of `data` not yet in the store, in frame order, and returns how
 * many frames were added. Earlier rows are never recomputed or changed, so calling it after each
 * appended frame gives exactly the values of one call on the whole series. Throws DataError when `data`
 * has other symbols, fewer frames than already computed, or other timestamps for computed frames.
 */
export function updateFeatures(store: FeatureStore, data: MarketData): number {
  checkSameData(store, data);
  const from = store.length;
  const to = data.length;
  if (to === from) return 0;
  if (to > store.ts.length) grow(store, to);
  const n = store.symbols.length;
  const nf = store.features.length;
  const { group, output, scratch } = store.plan;
  const warm = store.warmUps;
  const nk = store.kernels[0]!.length;
  const values = store.values;
  for (let t = from; t < to; t++) {
    store.ts[t] = data.ts[t]!;
    for (let i = 0; i < n; i++) {
      const kernels = store.kernels[i]!;
      for (let g = 0; g < nk; g++) kernels[g]!.step(data, n, i, t, scratch[g]!);
      const base = (t * n + i) * nf;
      for (let f = 0; f < nf; f++)
        values[base + f] = t < warm[f]! ? Number.NaN : scratch[group[f]!]![output[f]!]!;
    }
    store.length = t + 1;
  }
  return to - from;
}

/** Index of feature `f` of symbol `i` at frame `t` in `store.values`. */
export function featureOffset(store: FeatureStore, t: number, i: number, f: number): number {
  return (t * store.symbols.length + i) * store.features.length + f;
}

/** The value of a named feature of a named symbol at frame t (NaN before warm-up). Throws DataError. */
export function featureValue(store: FeatureStore, t: number, symbol: string, feature: string): number {
  const i = store.symbols.indexOf(symbol);
  const f = store.features.indexOf(feature);
  if (i < 0 || f < 0 || !Number.isInteger(t) || t < 0 || t >= store.length)
    throw new DataError(
      'FEATURE_VALUE_MISSING',
      `no value for ${feature} of ${symbol} at frame ${t}: store has symbols [${store.symbols.join(', ')}], features [${store.features.join(', ')}], ${store.length} frames`,
      { symbol, feature, t },
    );
  return store.values[featureOffset(store, t, i, f)]!;
}
