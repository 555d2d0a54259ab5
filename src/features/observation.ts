// The observation builder: portfolio weights plus a normalised, clipped feature window, written in place.
import { z } from 'zod';
import { ConfigError, DataError, InvariantError, ModelError } from '../core/errors.js';
import { maxWarmUp } from './feature-registry.js';
import type { FeatureStore } from './feature-store.js';
import { type Normalisation, normaliseValue } from './normalisation.js';

/** What a model observes: its symbols (in order), its features (in order) and how many frames back. */
export const observationSpecSchema = z.strictObject({
  symbols: z.array(z.string().min(1)).min(1).readonly(),
  features: z.array(z.string().min(1)).min(1).readonly(),
  lookback: z.number().int().positive(),
});

/** See `observationSpecSchema`. */
export type ObservationSpec = z.infer<typeof observationSpecSchema>;

function checkLookback(spec: ObservationSpec): void {
  if (!Number.isInteger(spec.lookback) || spec.lookback < 1)
    throw new ConfigError('LOOKBACK_INVALID', `lookback must be an integer >= 1, was ${spec.lookback}`, {
      lookback: spec.lookback,
    });
}

/**
 * Length of an observation: `(1 + nSymbols) + lookback x nSymbols x nFeatures`. Layout: [0] cash weight,
 * [1 + i] weight of symbol i, then the feature window from the oldest frame (t - lookback + 1) to the
 * newest (t), frame-major: frame w, symbol i, feature f at `1 + nSymbols + (w x nSymbols + i) x nFeatures + f`.
 */
export function observationSize(spec: ObservationSpec): number {
  checkLookback(spec);
  const n = spec.symbols.length;
  return 1 + n + spec.lookback * n * spec.features.length;
}

/**
 * First frame with a full valid window: the largest warm-up of the spec's features + lookback - 1.
 * Throws ConfigError for an unknown feature or a bad lookback.
 */
export function firstObservableIndex(spec: ObservationSpec): number {
  checkLookback(spec);
  return maxWarmUp(spec.features) + spec.lookback - 1;
}

function missing(what: string, name: string, where: string, have: readonly string[]): ModelError {
  return new ModelError(
    'OBSERVATION_MISMATCH',
    `${what} ${name} is not in the ${where} (has ${have.join(', ')})`,
    {
      [what]: name,
      has: have,
    },
  );
}

/**
 * What `buildObservation` looks up for a spec, once: the spec's size and first frame, and where each of
 * its symbols and features sits in the store and the normalisation (-1 when missing: reported where the
 * loop meets it, as a lookup per call did). Valid for the arrays it was built from.
 */
interface ObservationPlan {
  readonly specSymbols: readonly string[];
  readonly specFeatures: readonly string[];
  readonly lookback: number;
  readonly storeSymbols: readonly string[];
  readonly storeFeatures: readonly string[];
  readonly norm: Normalisation;
  readonly size: number;
  /** firstObservableIndex(spec), once it has been computed without throwing. */
  first: number | null;
  readonly symbolIndex: Int32Array;
  readonly featureIndex: Int32Array;
  readonly normIndex: Int32Array;
}

/** One plan per spec (a policy keeps its spec): looking names up in lists cost 2/3 of a call. */
const plans = new WeakMap<ObservationSpec, ObservationPlan>();

function planOf(store: FeatureStore, spec: ObservationSpec, norm: Normalisation): ObservationPlan {
  const cached = plans.get(spec);
  if (
    cached !== undefined &&
    cached.specSymbols === spec.symbols &&
    cached.specFeatures === spec.features &&
    cached.lookback === spec.lookback &&
    cached.storeSymbols === store.symbols &&
    cached.storeFeatures === store.features &&
    cached.norm === norm
  )
    return cached;
  const plan: ObservationPlan = {
    specSymbols: spec.symbols,
    specFeatures: spec.features,
    lookback: spec.lookback,
    storeSymbols: store.symbols,
    storeFeatures: store.features,
    norm,
    size: observationSize(spec),
    first: null,
    symbolIndex: Int32Array.from(spec.symbols, (s) => store.symbols.indexOf(s)),
    featureIndex: Int32Array.from(spec.features, (f) => store.features.indexOf(f)),
    normIndex: Int32Array.from(spec.features, (f) => norm.features.indexOf(f)),
  };
  plans.set(spec, plan);
  return plan;
}

/**
 * Writes the observation of frame `t` into `out` without allocating: `portfolioWeights` (cash, then one
 * weight per spec symbol, copied as they are), then each feature value of the window normalised with
 * `norm` and clipped to [-norm.clip, norm.clip]. The spec's symbols and features may be any subset of the
 * store's, in any order. Throws ModelError when `out` or `portfolioWeights` has the wrong length (naming
 * expected and found), or a symbol or feature is missing from the store or `norm`; DataError when t is
 * before `firstObservableIndex(spec)` or not yet computed; InvariantError on a non-finite weight or value.
 * The name lookups are done once per (spec, store, norm) and kept: a spec must not be changed in place.
 */
export function buildObservation(
  store: FeatureStore,
  spec: ObservationSpec,
  norm: Normalisation,
  t: number,
  portfolioWeights: Float64Array,
  out: Float64Array,
): void {
  const plan = planOf(store, spec, norm);
  const size = plan.size;
  const n = spec.symbols.length;
  const nf = spec.features.length;
  if (out.length !== size)
    throw new ModelError(
      'OBSERVATION_SIZE_MISMATCH',
      `observation buffer has length ${out.length}, expected ${size} (1 + ${n} symbols + lookback ${spec.lookback} x ${n} symbols x ${nf} features)`,
      { expected: size, found: out.length },
    );
  if (portfolioWeights.length !== 1 + n)
    throw new ModelError(
      'PORTFOLIO_WEIGHTS_SIZE_MISMATCH',
      `portfolio weights have length ${portfolioWeights.length}, expected ${1 + n} (cash + ${n} symbols)`,
      { expected: 1 + n, found: portfolioWeights.length },
    );
  plan.first ??= firstObservableIndex(spec);
  const first = plan.first;
  if (!Number.isInteger(t) || t < first || t >= store.length)
    throw new DataError(
      'OBSERVATION_FRAME_OUT_OF_RANGE',
      `frame ${t} cannot be observed: it must be >= ${first} (warm-up ${first - spec.lookback + 1} + lookback ${spec.lookback} - 1) and < ${store.length} (frames computed)`,
      { t, first, frames: store.length },
    );
  for (let k = 0; k <= n; k++) {
    const w = portfolioWeights[k]!;
    if (!Number.isFinite(w))
      throw new InvariantError('PORTFOLIO_WEIGHT_INVALID', `portfolio weight ${k} is not finite (${w})`, {
        index: k,
      });
    out[k] = w;
  }
  const storeN = store.symbols.length;
  const storeF = store.features.length;
  const values = store.values;
  const t0 = t - spec.lookback + 1;
  const { symbolIndex, featureIndex, normIndex } = plan;
  for (let i = 0; i < n; i++) {
    const si = symbolIndex[i]!;
    if (si < 0) throw missing('symbol', spec.symbols[i]!, 'feature store', store.symbols);
    for (let f = 0; f < nf; f++) {
      const sf = featureIndex[f]!;
      if (sf < 0) throw missing('feature', spec.features[f]!, 'feature store', store.features);
      const nfIdx = normIndex[f]!;
      if (nfIdx < 0) throw missing('feature', spec.features[f]!, 'normalisation', norm.features);
      for (let w = 0; w < spec.lookback; w++) {
        const x = values[((t0 + w) * storeN + si) * storeF + sf]!;
        if (!Number.isFinite(x))
          throw new InvariantError(
            'FEATURE_VALUE_INVALID',
            `${spec.features[f]} of ${spec.symbols[i]} at frame ${t0 + w} is not finite (${x}) after its warm-up`,
            { feature: spec.features[f], symbol: spec.symbols[i], t: t0 + w },
          );
        out[1 + n + (w * n + i) * nf + f] = normaliseValue(norm, nfIdx, x);
      }
    }
  }
}
