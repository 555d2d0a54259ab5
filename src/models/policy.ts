// The Policy interface: what every model kind implements to turn market history into target weights.
import { ModelError } from '../core/errors.js';
import type { Decider } from '../sim/index.js';

/**
 * A trading policy for a fixed, ordered universe. `decide` must be a pure function of the bars up to
 * ctx.t and the portfolio weights (never of later bars, never of the call history): caches are allowed
 * only when they give bit-identical results however the calls are ordered.
 */
export interface Policy extends Decider {
  /** Human-readable id, e.g. "builtin:sma-cross?fast=24&slow=120". */
  readonly name: string;
  /** Symbols in the order of the weights the policy writes. */
  readonly symbols: readonly string[];
  /** Frames of history the policy needs before its first meaningful decision. */
  readonly warmupBars: number;
}

/** Sum of the asset weights in ctx.weights ([cash, w1..wn]): what is invested now. */
export function investedWeight(weights: Float64Array): number {
  let s = 0;
  for (let i = 1; i < weights.length; i++) s += weights[i]!;
  return s;
}

/** Writes the current asset weights into out: the "keep what you have" decision. */
export function holdCurrent(weights: Float64Array, out: Float64Array): void {
  for (let i = 0; i < out.length; i++) out[i] = weights[i + 1]!;
}

/**
 * Scales weights down proportionally when they sum above 1. Rules that hold drifted positions and
 * enter new ones can ask for a hair more than everything; the simulator would refuse that.
 */
export function limitTotal(out: Float64Array): void {
  let total = 0;
  for (let i = 0; i < out.length; i++) total += out[i]!;
  if (total > 1) for (let i = 0; i < out.length; i++) out[i] = out[i]! / total;
}

/** Throws ModelError unless the policy writes weights for exactly `symbols`, in order. */
export function assertPolicyFits(policy: Policy, symbols: readonly string[], modelId: string): void {
  if (policy.symbols.length !== symbols.length || policy.symbols.some((s, i) => s !== symbols[i]))
    throw new ModelError(
      'MODEL_SYMBOLS_MISMATCH',
      `model ${modelId} trades [${policy.symbols.join(', ')}] but the market is [${symbols.join(', ')}]`,
      { modelId },
    );
}
