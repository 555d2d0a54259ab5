// The streaming-kernel contract every feature computation implements, and its shared helpers.
import { ConfigError } from '../core/errors.js';

/**
 * Row-major OHLCV columns of a universe of `n` symbols (a MarketData satisfies it): the value of
 * symbol `i` at frame `t` is at index `t * n + i`.
 */
export interface BarColumns {
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
}

/**
 * A causal, streaming computation over the bars of one symbol. `step` is called once for every frame
 * t = 0, 1, 2, ... in order; it may read bars at frames <= t only, and writes its outputs (one per
 * entry of `warmUps`) to `out[0..]`. Outputs are NaN before their warm-up frame and finite from it on
 * (for valid bars). A kernel keeps its own state, so one instance serves one symbol.
 */
export interface FeatureKernel {
  /** First frame index with a valid value, per output. */
  readonly warmUps: readonly number[];
  /** Consumes frame `t` of the symbol in column `i` of `n` and writes the outputs to `out`. */
  step(bars: BarColumns, n: number, i: number, t: number, out: Float64Array): void;
}

/**
 * Dispersion below this fraction of the level is floating-point noise (a flat window): the
 * indicators that divide by a dispersion then return their neutral value instead of noise.
 */
export const FLAT_RELATIVE = 1e-12;

/** Checks an indicator period: an integer >= `min`. Throws ConfigError naming the parameter. */
export function checkPeriod(name: string, value: number, min = 1): number {
  if (!Number.isInteger(value) || value < min)
    throw new ConfigError('FEATURE_PARAM_INVALID', `${name} must be an integer >= ${min}, was ${value}`, {
      name,
      value,
    });
  return value;
}
