// Optuna-style univariate TPE (Bergstra et al. 2011): maximise l(x) / g(x) over candidates drawn from l.
import { ConfigError } from '../../core/errors.js';
import type { Distribution, ParamValue } from '../distributions.js';
import type { StudyDirection } from '../storage/study-storage.js';
import type { FrozenTrial } from '../trial.js';
import { buildParzenEstimator, type ParzenParameters } from './parzen-estimator.js';
import { sampleUniform } from './random-sampler.js';
import { checkSeed, drawStream, type SampleContext, type Sampler } from './sampler.js';
import { singleValue } from './search-space.js';
import { splitTrials } from './tpe-split.js';

/** Optuna's default gamma: the best min(ceil(0.1 n), 25) of n finished trials form l(x). */
export function defaultGamma(n: number): number {
  return Math.min(Math.ceil(0.1 * n), 25);
}

/**
 * Optuna's default weights for n observations (oldest first): all 1 below 25; from 25 on, the 25
 * newest weigh 1 and the older ones ramp linearly from 1/n up to 1.
 */
export function defaultWeights(n: number): number[] {
  if (n < 25) return new Array<number>(n).fill(1);
  const ramp = n - 25;
  const start = 1 / n;
  const weights = Array.from({ length: ramp }, (_, i) =>
    ramp === 1 ? start : start + ((1 - start) * i) / (ramp - 1),
  );
  return [...weights, ...new Array<number>(25).fill(1)];
}

/** Options of the TPE sampler; defaults are Optuna 3.1's. */
export interface TpeSamplerOptions {
  /** Non-negative safe integer; with the trial number and parameter name it fixes every draw. */
  readonly seed: number;
  /** Finished trials (COMPLETE, and PRUNED if considered) sampled at random before TPE starts. Default 10. */
  readonly nStartupTrials?: number;
  /** Candidates drawn from l(x) per draw; the one with the largest l(x) / g(x) wins. Default 24. */
  readonly nEiCandidates?: number;
  /** Size of the good group for n finished trials. Default `defaultGamma`. */
  readonly gamma?: (n: number) => number;
  /** Kernel weights for n observations, oldest first. Default `defaultWeights`. */
  readonly weights?: (n: number) => readonly number[];
  /** Weight of the prior kernel. Default 1. */
  readonly priorWeight?: number;
  /** Add the prior kernel. Default true. */
  readonly considerPrior?: boolean;
  /** Floor bandwidths at range / min(100, 1 + kernels). Default true. */
  readonly considerMagicClip?: boolean;
  /** Let the outermost kernels reach to the range ends. Default false. */
  readonly considerEndpoints?: boolean;
  /** Rank PRUNED trials by their last intermediate value, after every COMPLETE one. Default true. */
  readonly considerPrunedTrials?: boolean;
  /**
   * The study direction this sampler is meant for. Optional: the direction comes with every draw
   * (`SampleContext`); when set and different from it, sampling throws a ConfigError.
   */
  readonly direction?: StudyDirection;
}

function invalid(option: string, expected: string, found: unknown): never {
  throw new ConfigError(
    'SAMPLER_OPTION_INVALID',
    `TPE option ${option} must be ${expected}, was ${String(found)}`,
    {
      option,
      found,
    },
  );
}

function nonNegativeInt(option: string, value: number, minimum = 0): number {
  if (!Number.isSafeInteger(value) || value < minimum) invalid(option, `an integer >= ${minimum}`, value);
  return value;
}

/**
 * Univariate Tree-structured Parzen Estimator, as Optuna 3.1's TPESampler with multivariate=False.
 * Until `nStartupTrials` finished trials exist it samples exactly as RandomSampler with the same
 * seed. Then, per parameter: split finished trials into the best gamma(n) and the rest (`splitTrials`),
 * fit a Parzen estimator to each group (`buildParzenEstimator`), draw `nEiCandidates` from the good
 * one l(x) and return the candidate with the largest log l(x) - log g(x) (the first on ties).
 * Every draw uses its own stream keyed by (seed, trial number, name): see `drawStream`.
 */
export class TpeSampler implements Sampler {
  readonly name = 'tpe';
  readonly seed: number;
  readonly nStartupTrials: number;
  readonly nEiCandidates: number;
  readonly considerPrunedTrials: boolean;
  readonly direction: StudyDirection | undefined;
  private readonly gamma: (n: number) => number;
  private readonly parzen: ParzenParameters;

  /** Throws a ConfigError naming the option when one is out of range. */
  constructor(options: TpeSamplerOptions) {
    this.seed = checkSeed(options.seed);
    this.nStartupTrials = nonNegativeInt('nStartupTrials', options.nStartupTrials ?? 10);
    this.nEiCandidates = nonNegativeInt('nEiCandidates', options.nEiCandidates ?? 24, 1);
    this.considerPrunedTrials = options.considerPrunedTrials ?? true;
    this.gamma = options.gamma ?? defaultGamma;
    const priorWeight = options.priorWeight ?? 1;
    if (!Number.isFinite(priorWeight) || priorWeight <= 0)
      invalid('priorWeight', 'a finite number > 0', priorWeight);
    if (
      options.direction !== undefined &&
      options.direction !== 'maximize' &&
      options.direction !== 'minimize'
    ) {
      invalid('direction', 'maximize or minimize', options.direction);
    }
    this.direction = options.direction;
    this.parzen = {
      considerPrior: options.considerPrior ?? true,
      priorWeight,
      considerMagicClip: options.considerMagicClip ?? true,
      considerEndpoints: options.considerEndpoints ?? false,
      weights: options.weights ?? defaultWeights,
    };
  }

  sample(
    history: readonly FrozenTrial[],
    name: string,
    distribution: Distribution,
    context: SampleContext,
  ): ParamValue {
    if (this.direction !== undefined && this.direction !== context.direction) {
      throw new ConfigError(
        'SAMPLER_DIRECTION_MISMATCH',
        `TPE sampler was created for direction ${this.direction}, the study is ${context.direction}`,
        { expected: this.direction, found: context.direction },
      );
    }
    const single = singleValue(distribution);
    if (single !== undefined) return single;
    const stream = drawStream(this.seed, context.trialNumber, name);
    const split = splitTrials(
      history,
      name,
      distribution,
      context.direction,
      this.considerPrunedTrials,
      this.gamma,
    );
    if (split.n < this.nStartupTrials) return sampleUniform(stream, distribution);
    const good = buildParzenEstimator(split.below, distribution, this.parzen);
    const bad = buildParzenEstimator(split.above, distribution, this.parzen);
    const candidates = good.sample(stream, this.nEiCandidates);
    let best = candidates[0];
    let bestScore = Number.NEGATIVE_INFINITY;
    for (const candidate of candidates) {
      const score = good.logPdf(candidate) - bad.logPdf(candidate);
      if (score > bestScore) {
        best = candidate;
        bestScore = score;
      }
    }
    return best;
  }
}
