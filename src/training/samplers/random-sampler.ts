// Random search: every parameter drawn uniformly from its internal space, seeded per (trial, parameter).
import type { RandomStream } from '../../core/random.js';
import type { Distribution, ParamValue } from '../distributions.js';
import type { FrozenTrial } from '../trial.js';
import { checkSeed, drawStream, type SampleContext, type Sampler } from './sampler.js';
import { fromInternal, numericSpace, singleValue } from './search-space.js';

/**
 * One uniform draw from `distribution`, as Optuna's RandomSampler: uniform for floats, log-uniform for
 * log floats, each grid point (each integer) equally likely for stepped floats and ints, log ints
 * uniform in log(low - 0.5)..log(high + 0.5) then rounded, categoricals uniform over the choices.
 * A single-valued distribution returns its value without drawing.
 */
export function sampleUniform(stream: RandomStream, distribution: Distribution): ParamValue {
  const single = singleValue(distribution);
  if (single !== undefined) return single;
  if (distribution.kind === 'categorical') {
    const { choices } = distribution;
    return choices[Math.min(choices.length - 1, Math.floor(stream.uniform() * choices.length))];
  }
  const space = numericSpace(distribution);
  return fromInternal(distribution, space.low + (space.high - space.low) * stream.uniform());
}

/** Options of the random sampler. */
export interface RandomSamplerOptions {
  /** Non-negative safe integer; with the trial number and parameter name it fixes every draw. */
  readonly seed: number;
}

/** Random search: ignores the history; same seed, trial number and name give the same value. */
export class RandomSampler implements Sampler {
  readonly name = 'random';
  readonly seed: number;

  /** Throws a ConfigError when the seed is not a non-negative safe integer. */
  constructor(options: RandomSamplerOptions) {
    this.seed = checkSeed(options.seed);
  }

  sample(
    _history: readonly FrozenTrial[],
    name: string,
    distribution: Distribution,
    context: SampleContext,
  ): ParamValue {
    return sampleUniform(drawStream(this.seed, context.trialNumber, name), distribution);
  }
}
