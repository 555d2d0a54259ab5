// A policy that feeds the observation (portfolio weights + normalised feature window) to an MLP.
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
import { createMlpScratch, type Mlp, mlpForward, softmax } from './mlp.js';
import type { Policy } from './policy.js';

/**
 * The network outputs 1 + n logits (cash, then each symbol); their softmax is the allocation, so the
 * weights are in [0, 1] and sum to 1 with cash. Before the first observable frame the policy stays in cash.
 * Features come from `features` when given (shared with the other models of the market), else from a
 * store of the policy's own.
 */
export function createMlpPolicy(
  name: string,
  spec: ObservationSpec,
  norm: Normalisation,
  net: Mlp,
  features?: SharedFeatureStores,
): Policy {
  const n = spec.symbols.length;
  const obs = new Float64Array(observationSize(spec));
  const scratch = createMlpScratch(net);
  const allocation = new Float64Array(n + 1);
  const first = firstObservableIndex(spec);
  let store: FeatureStore | null = null;
  let storeMarket: MarketData | null = null;
  return {
    name,
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
      softmax(mlpForward(net, obs, scratch), allocation);
      for (let i = 0; i < n; i++) out[i] = allocation[i + 1]!;
    },
  };
}
