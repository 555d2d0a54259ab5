// A policy that decides from the observation (normalised feature window, then the portfolio weights) of
// the closing frame: the one place where network policies (the native MLP, ONNX graphs) build what they
// see, so every kind that reads an observation sees the same numbers.
import {
  buildObservation,
  createFeatureStore,
  type FeatureStore,
  firstObservableIndex,
  type Normalisation,
  type ObservationSpec,
  observationSize,
  type SharedFeatureStores,
  updateFeatures,
} from '../features/index.js';
import type { MarketData } from '../market/market-data.js';
import type { DecisionContext } from '../sim/index.js';
import type { Policy } from './policy.js';

export interface ObservingPolicyOptions {
  readonly name: string;
  readonly spec: ObservationSpec;
  readonly norm: Normalisation;
  /** Feature stores shared with the other models of the market; else the policy keeps a store of its own. */
  readonly features?: SharedFeatureStores;
}

/**
 * Turns an observation into target weights: `obs` (observationSize(spec) numbers, a buffer reused by the
 * next frame) to one weight per symbol in `out`. May throw; the step is then refused.
 */
export type DecideFromObservation = (obs: Float64Array, out: Float64Array) => void;

/**
 * A policy over `spec`: at the close of frame t it brings the feature store up to t, builds the observation
 * with `norm` and the weights marked at close t, and hands it to `fromObservation`. Before the first frame
 * with a full feature window (its `warmupBars`) it stays in cash.
 */
export function createObservingPolicy(
  options: ObservingPolicyOptions,
  fromObservation: DecideFromObservation,
): Policy {
  const { spec, norm, features } = options;
  const obs = new Float64Array(observationSize(spec));
  const first = firstObservableIndex(spec);
  let store: FeatureStore | null = null;
  let storeMarket: MarketData | null = null;
  return {
    name: options.name,
    symbols: spec.symbols,
    warmupBars: first,
    decide(ctx: DecisionContext, out: Float64Array) {
      if (ctx.t < first) {
        out.fill(0);
        return;
      }
      if (storeMarket !== ctx.market || store === null) {
        store = features
          ? features.storeFor(ctx.market, spec.features)
          : createFeatureStore(ctx.market, spec.features, ctx.market.length);
        storeMarket = ctx.market;
      }
      // Features are causal: computing frames the market already has beyond t never changes frame t.
      if (store.length <= ctx.t) updateFeatures(store, ctx.market);
      buildObservation(store, spec, norm, ctx.t, ctx.weights, obs);
      fromObservation(obs, out);
    },
  };
}
