// Optuna's univariate Parzen estimator: a weighted mixture of truncated Gaussians (or categorical kernels).
import { ConfigError } from '../../core/errors.js';
import type { RandomStream } from '../../core/random.js';
import type { CategoricalDistribution, Distribution, ParamValue } from '../distributions.js';
import { LOG_SQRT_2PI, normalIntervalMass, sampleTruncatedStandardNormal } from './normal.js';
import { fromInternal, type NumericDistribution, numericSpace, toInternal } from './search-space.js';

/** Optuna's EPS in the Parzen estimator: floors of bandwidths and of discretised masses. */
const EPS = 1e-12;

/** The knobs of the estimator (Optuna's `_ParzenEstimatorParameters`, univariate). */
export interface ParzenParameters {
  /** Adds a prior kernel (centre of the range, bandwidth = the range; uniform for categoricals). */
  readonly considerPrior: boolean;
  /** Weight of the prior kernel relative to the observation weights (> 0). */
  readonly priorWeight: number;
  /** Floors bandwidths at range / min(100, 1 + kernels) (Bergstra's "magic clip"). */
  readonly considerMagicClip: boolean;
  /** Lets the outermost kernels take their distance to the range ends as bandwidth. */
  readonly considerEndpoints: boolean;
  /** Weights of n observations in chronological order (oldest first); n non-negative finite numbers. */
  readonly weights: (n: number) => readonly number[];
}

/** A univariate density over one distribution, fitted to observed values. */
export interface ParzenEstimator {
  /** `size` external values drawn from the mixture, in draw order. */
  sample(stream: RandomStream, size: number): ParamValue[];
  /** Log density of an external value in the internal (log or index) space; -Infinity outside. */
  logPdf(value: ParamValue): number;
}

/** Normalised mixture weights: the observation weights, then the prior's when it is considered. */
export function mixtureWeights(n: number, params: ParzenParameters): Float64Array {
  const considerPrior = params.considerPrior || n === 0;
  const raw = params.weights(n);
  if (raw.length < n || raw.slice(0, n).some((w) => !Number.isFinite(w) || w < 0)) {
    throw new ConfigError(
      'SAMPLER_OPTION_INVALID',
      `weights(${n}) must return ${n} non-negative finite numbers`,
      {
        n,
        returned: raw.length,
      },
    );
  }
  const weights = new Float64Array(n + (considerPrior ? 1 : 0));
  for (let i = 0; i < n; i++) weights[i] = raw[i];
  if (considerPrior) weights[n] = params.priorWeight;
  const total = weights.reduce((sum, w) => sum + w, 0);
  if (!(total > 0)) {
    throw new ConfigError('SAMPLER_OPTION_INVALID', `weights(${n}) and the prior weight sum to ${total}`, {
      n,
    });
  }
  return weights.map((w) => w / total);
}

function pickIndex(cumulative: Float64Array, u: number): number {
  for (let i = 0; i < cumulative.length - 1; i++) if (u < cumulative[i]) return i;
  return cumulative.length - 1;
}

function cumulativeOf(weights: Float64Array): Float64Array {
  let sum = 0;
  return weights.map((w) => {
    sum += w;
    return sum;
  });
}

function logSumExp(terms: Float64Array): number {
  const max = terms.reduce((m, t) => Math.max(m, t), Number.NEGATIVE_INFINITY);
  if (max === Number.NEGATIVE_INFINITY) return max;
  let sum = 0;
  for (const t of terms) sum += Math.exp(t - max);
  return max + Math.log(sum);
}

/**
 * Kernel bandwidths as Optuna's univariate rule: each kernel takes the larger gap to its sorted
 * neighbours (range ends included), the outermost ones their inner gap unless `considerEndpoints`,
 * clipped to [range / min(100, 1 + kernels) (magic clip) or EPS, range]; the prior's is the range.
 */
export function kernelBandwidths(
  mus: Float64Array,
  low: number,
  high: number,
  params: ParzenParameters,
  hasPrior: boolean,
): Float64Array {
  const order = Array.from(mus.keys()).sort((i, j) => mus[i] - mus[j] || i - j);
  const sorted = [low, ...order.map((i) => mus[i]), high];
  const m = mus.length;
  const sortedSigmas = order.map((_, r) =>
    Math.max(sorted[r + 1] - sorted[r], sorted[r + 2] - sorted[r + 1]),
  );
  if (!params.considerEndpoints && m >= 2) {
    sortedSigmas[0] = sorted[2] - sorted[1];
    sortedSigmas[m - 1] = sorted[m] - sorted[m - 1];
  }
  const maxSigma = high - low;
  const minSigma = params.considerMagicClip ? (high - low) / Math.min(100, 1 + m) : EPS;
  const sigmas = new Float64Array(m);
  order.forEach((i, r) => {
    sigmas[i] = Math.min(maxSigma, Math.max(minSigma, sortedSigmas[r]));
  });
  if (hasPrior) sigmas[m - 1] = high - low;
  return sigmas;
}

function numericEstimator(
  observations: readonly number[],
  d: NumericDistribution,
  params: ParzenParameters,
): ParzenEstimator {
  const { low, high, step } = numericSpace(d);
  const weights = mixtureWeights(observations.length, params);
  const hasPrior = weights.length > observations.length;
  const mus = Float64Array.from(hasPrior ? [...observations, 0.5 * (low + high)] : observations);
  const sigmas = kernelBandwidths(mus, low, high, params, hasPrior);
  const cumulative = cumulativeOf(weights);
  const logBase = weights.map((w, k) => {
    const pAccept = normalIntervalMass((low - mus[k]) / sigmas[k], (high - mus[k]) / sigmas[k]);
    return step === null
      ? Math.log(w) - LOG_SQRT_2PI - Math.log(sigmas[k]) - Math.log(pAccept)
      : Math.log(w) - Math.log(pAccept + EPS);
  });
  const terms = new Float64Array(weights.length);
  return {
    sample(stream, size) {
      const out: ParamValue[] = [];
      for (let i = 0; i < size; i++) {
        const k = pickIndex(cumulative, stream.uniform());
        const z = sampleTruncatedStandardNormal(
          stream,
          (low - mus[k]) / sigmas[k],
          (high - mus[k]) / sigmas[k],
        );
        out.push(fromInternal(d, mus[k] + sigmas[k] * z));
      }
      return out;
    },
    logPdf(value) {
      const x = toInternal(d, value);
      if (x === null) return Number.NEGATIVE_INFINITY;
      for (let k = 0; k < terms.length; k++) {
        if (step === null) {
          const z = (x - mus[k]) / Math.max(sigmas[k], EPS);
          terms[k] = logBase[k] - 0.5 * z * z;
        } else {
          const upper = Math.min(x + step / 2, high);
          const lower = Math.max(x - step / 2, low);
          const mass = normalIntervalMass((lower - mus[k]) / sigmas[k], (upper - mus[k]) / sigmas[k]);
          terms[k] = logBase[k] + Math.log(mass + EPS);
        }
      }
      return logSumExp(terms);
    },
  };
}

function categoricalEstimator(
  observations: readonly number[],
  d: CategoricalDistribution,
  params: ParzenParameters,
): ParzenEstimator {
  const n = observations.length;
  const weights = mixtureWeights(n, params);
  const hasPrior = weights.length > n;
  const choices = d.choices.length;
  // Each observation's kernel: priorWeight / kernels on every choice plus 1 on its own, normalised.
  const base = params.priorWeight / weights.length;
  const probabilities = new Float64Array(choices);
  for (let k = 0; k < n; k++) {
    const rowSum = choices * base + 1;
    for (let c = 0; c < choices; c++) probabilities[c] += (weights[k] * base) / rowSum;
    probabilities[observations[k]] += weights[k] / rowSum;
  }
  if (hasPrior) for (let c = 0; c < choices; c++) probabilities[c] += weights[n] / choices;
  const cumulative = cumulativeOf(probabilities);
  return {
    sample(stream, size) {
      return Array.from(
        { length: size },
        () => d.choices[pickIndex(cumulative, stream.uniform() * cumulative[choices - 1])],
      );
    },
    logPdf(value) {
      const index = toInternal(d, value);
      return index === null ? Number.NEGATIVE_INFINITY : Math.log(probabilities[index]);
    },
  };
}

/**
 * Fits Optuna's univariate Parzen estimator to `observations` (internal values: logs for log
 * distributions, choice indices for categoricals, each inside the distribution) in chronological order.
 * With no observations it is the prior alone. `distribution` must not be single-valued.
 */
export function buildParzenEstimator(
  observations: readonly number[],
  distribution: Distribution,
  params: ParzenParameters,
): ParzenEstimator {
  if (distribution.kind === 'categorical') return categoricalEstimator(observations, distribution, params);
  return numericEstimator(observations, distribution, params);
}
