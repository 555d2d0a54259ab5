// A policy that feeds the observation (portfolio weights + normalised feature window) to an MLP.
import type { Normalisation, ObservationSpec, SharedFeatureStores } from '../features/index.js';
import { createMlpScratch, type Mlp, mlpForward, softmaxCashFirst } from './mlp.js';
import { createObservingPolicy } from './observing-policy.js';
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
  const scratch = createMlpScratch(net);
  const allocation = new Float64Array(spec.symbols.length + 1);
  return createObservingPolicy({ name, spec, norm, features }, (obs, out) =>
    softmaxCashFirst(mlpForward(net, obs, scratch), allocation, out),
  );
}
