// The Sampler interface and the per-draw random stream that makes sampling reproducible across workers.
import { ConfigError } from '../../core/errors.js';
import { RandomStream } from '../../core/random.js';
import type { Distribution, ParamValue } from '../distributions.js';
import type { StudyDirection } from '../storage/study-storage.js';
import type { FrozenTrial } from '../trial.js';

/** What a sampler knows about the draw besides the history. */
export interface SampleContext {
  /** The number (trials.number) of the trial being sampled: keys the random stream of the draw. */
  readonly trialNumber: number;
  /** The study's direction: which objective values are better. */
  readonly direction: StudyDirection;
}

/**
 * Chooses one parameter value at a time (independent sampling, like Optuna's TPE with
 * multivariate=False). Implementations are pure and deterministic: the value depends only on the
 * sampler's options (seed included), `history`, `name`, `distribution` and `context`, never on call
 * order, the clock or other calls. `distribution` must have passed `checkDistribution`.
 */
export interface Sampler {
  /** Short name for logs and the CLI (`--sampler`). */
  readonly name: string;
  /**
   * A value of `distribution` for parameter `name` of trial `context.trialNumber`. `history` holds the
   * study's other trials (any state, ordered by number); the sampler picks the ones it learns from.
   */
  sample(
    history: readonly FrozenTrial[],
    name: string,
    distribution: Distribution,
    context: SampleContext,
  ): ParamValue;
}

const TWO_POW_32 = 4_294_967_296;
const HIGH_BITS = 0x1fffff;

/** Throws a ConfigError unless `seed` is a non-negative safe integer. */
export function checkSeed(seed: number): number {
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new ConfigError(
      'SAMPLER_OPTION_INVALID',
      `sampler seed must be a non-negative safe integer, was ${seed}`,
      {
        seed,
      },
    );
  }
  return seed;
}

/**
 * The random stream of one draw: a fresh xoroshiro128+ stream keyed by (seed, trial number, parameter
 * name). No stream is shared or advanced between draws, so two workers sampling different trials of
 * one study never reuse random numbers, and a trial's values do not depend on the order in which its
 * parameters are suggested or on which process suggests them. The trial number also enters the seed's
 * high bits, so two draws of one trial can only collide if two names share a 32-bit hash.
 */
export function drawStream(seed: number, trialNumber: number, name: string): RandomStream {
  const low = seed % TWO_POW_32;
  const high = Math.floor(seed / TWO_POW_32);
  const derived = low + TWO_POW_32 * ((high ^ trialNumber) & HIGH_BITS);
  return new RandomStream(derived, `sampler/trial:${trialNumber}/param:${name}`);
}
