// Optuna's PercentilePruner and MedianPruner: stop a trial that trails the other trials at the same step.
import { ConfigError } from '../../core/errors.js';
import type { StudyDirection } from '../storage/study-storage.js';
import type { FrozenTrial } from '../trial.js';
import type { Pruner } from './pruner.js';

/** Options shared by the percentile and median pruners; defaults are Optuna 3.1's. */
export interface MedianPrunerOptions {
  /** No pruning until this many reference trials (COMPLETE ones by default) exist. Default 5. */
  readonly nStartupTrials?: number;
  /** No pruning while the trial's last reported step is below this. Default 0. */
  readonly nWarmupSteps?: number;
  /** Only the first report in each interval of this many steps (after warm-up) is checked. Default 1. */
  readonly intervalSteps?: number;
  /** No pruning at a step where fewer reference trials reported a value. Default 1. */
  readonly nMinTrials?: number;
  /**
   * What of the running trial is compared: `best`, its best intermediate value so far (Optuna), or
   * `latest`, its value at the last reported step. Default `best`.
   */
  readonly compare?: 'best' | 'latest';
  /** Also compare against PRUNED trials (Optuna uses COMPLETE trials only). Default false. */
  readonly includePrunedTrials?: boolean;
}

/** Options of the percentile pruner. */
export interface PercentilePrunerOptions extends MedianPrunerOptions {
  /** Percentile in [0, 100] of the reference values to beat; 50 is the median. Larger prunes more. */
  readonly percentile: number;
}

function integerOption(option: string, value: number, minimum: number): number {
  if (!Number.isSafeInteger(value) || value < minimum) {
    throw new ConfigError(
      'PRUNER_OPTION_INVALID',
      `pruner option ${option} must be an integer >= ${minimum}, was ${value}`,
      {
        option,
        found: value,
      },
    );
  }
  return value;
}

/**
 * Linear-interpolation percentile (numpy's default) of the non-NaN values, NaN when none.
 * `q` is in [0, 100].
 */
export function nanPercentile(values: readonly number[], q: number): number {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const rank = (q / 100) * (sorted.length - 1);
  const lower = Math.floor(rank);
  const upper = Math.ceil(rank);
  if (lower === upper) return sorted[lower];
  return sorted[lower] + (sorted[upper] - sorted[lower]) * (rank - lower);
}

/**
 * Whether `step` is the first reported step of its interval: Optuna's `_is_first_in_interval_step`
 * (the previous report came before the interval's first step).
 */
export function isFirstInIntervalStep(
  step: number,
  steps: Iterable<number>,
  nWarmupSteps: number,
  intervalSteps: number,
): boolean {
  const intervalStart = Math.floor((step - nWarmupSteps) / intervalSteps) * intervalSteps + nWarmupSteps;
  let previous = -1;
  for (const s of steps) if (s > previous && s !== step) previous = s;
  return previous < intervalStart;
}

/**
 * Prunes a running trial whose intermediate result is worse than the given percentile of the
 * reference trials' intermediate values at the same step, as Optuna 3.1's PercentilePruner:
 * - never before `nStartupTrials` reference trials (COMPLETE, plus PRUNED if `includePrunedTrials`),
 *   nor before the trial reported a value, nor while its last step < `nWarmupSteps`, nor at a step that
 *   is not the first reported one of its `intervalSteps` interval;
 * - the trial's result is its best value so far (`compare: 'best'`, NaNs ignored) or its last one;
 *   a NaN result (every value NaN) prunes;
 * - the threshold ignores NaN values and needs `nMinTrials` reference values at that step; when there
 *   is none the trial is kept. "Worse" follows `direction`; a tie is kept.
 */
export class PercentilePruner implements Pruner {
  readonly name: string = 'percentile';
  readonly percentile: number;
  readonly nStartupTrials: number;
  readonly nWarmupSteps: number;
  readonly intervalSteps: number;
  readonly nMinTrials: number;
  readonly compare: 'best' | 'latest';
  readonly includePrunedTrials: boolean;

  /** Throws a ConfigError naming the option when one is out of range. */
  constructor(options: PercentilePrunerOptions) {
    const { percentile } = options;
    if (!(Number.isFinite(percentile) && percentile >= 0 && percentile <= 100)) {
      throw new ConfigError(
        'PRUNER_OPTION_INVALID',
        `pruner percentile must be in [0, 100], was ${percentile}`,
        {
          option: 'percentile',
          found: percentile,
        },
      );
    }
    this.percentile = percentile;
    this.nStartupTrials = integerOption('nStartupTrials', options.nStartupTrials ?? 5, 0);
    this.nWarmupSteps = integerOption('nWarmupSteps', options.nWarmupSteps ?? 0, 0);
    this.intervalSteps = integerOption('intervalSteps', options.intervalSteps ?? 1, 1);
    this.nMinTrials = integerOption('nMinTrials', options.nMinTrials ?? 1, 1);
    this.compare = options.compare ?? 'best';
    if (this.compare !== 'best' && this.compare !== 'latest') {
      throw new ConfigError(
        'PRUNER_OPTION_INVALID',
        `pruner option compare must be best or latest, was ${this.compare}`,
        {
          option: 'compare',
          found: this.compare,
        },
      );
    }
    this.includePrunedTrials = options.includePrunedTrials ?? false;
  }

  shouldPrune(trial: FrozenTrial, history: readonly FrozenTrial[], direction: StudyDirection): boolean {
    const reference = history.filter(
      (t) =>
        t.trialId !== trial.trialId &&
        (t.state === 'COMPLETE' || (this.includePrunedTrials && t.state === 'PRUNED')),
    );
    if (reference.length === 0 || reference.length < this.nStartupTrials) return false;
    const steps = [...trial.intermediateValues.keys()];
    if (steps.length === 0) return false;
    const step = Math.max(...steps);
    if (step < this.nWarmupSteps) return false;
    if (!isFirstInIntervalStep(step, steps, this.nWarmupSteps, this.intervalSteps)) return false;

    const maximize = direction === 'maximize';
    const result =
      this.compare === 'latest' ? (trial.intermediateValues.get(step) as number) : best(trial, maximize);
    if (Number.isNaN(result)) return true;

    const atStep: number[] = [];
    for (const t of reference) {
      const value = t.intermediateValues.get(step);
      if (value !== undefined) atStep.push(value);
    }
    if (atStep.length < this.nMinTrials) return false;
    const threshold = nanPercentile(atStep, maximize ? 100 - this.percentile : this.percentile);
    if (Number.isNaN(threshold)) return false;
    return maximize ? result < threshold : result > threshold;
  }
}

function best(trial: FrozenTrial, maximize: boolean): number {
  let result = Number.NaN;
  for (const v of trial.intermediateValues.values()) {
    if (Number.isNaN(v)) continue;
    if (Number.isNaN(result) || (maximize ? v > result : v < result)) result = v;
  }
  return result;
}

/**
 * Optuna's MedianPruner: the percentile pruner at 50, pruning a trial whose result is worse than the
 * median of the reference trials at the same step. See PercentilePruner for the exact rules.
 */
export class MedianPruner extends PercentilePruner {
  override readonly name: string = 'median';

  constructor(options: MedianPrunerOptions = {}) {
    super({ ...options, percentile: 50 });
  }
}
