// Define-by-run access to one running trial (like optuna.Trial): suggest parameters, report, prune.
import { ConfigError, InvariantError } from '../core/errors.js';
import type { Choice, Distribution, ParamValue, SearchSpace } from './distributions.js';
import type { Pruner } from './pruners/index.js';
import { checkDistribution, containsValue, type Sampler } from './samplers/index.js';
import type { StudyDirection, StudyStorage } from './storage/study-storage.js';
import type { FrozenTrial } from './trial.js';

/** Options of `suggestFloat`: log scale, or a grid step (not both). */
export interface SuggestFloatOptions {
  readonly log?: boolean;
  readonly step?: number | null;
}

/** Options of `suggestInt`: log scale (step 1 only), or a grid step (default 1). */
export interface SuggestIntOptions {
  readonly log?: boolean;
  readonly step?: number;
}

function sameDistribution(a: Distribution, b: Distribution): boolean {
  if (a.kind === 'categorical' || b.kind === 'categorical') {
    if (a.kind !== 'categorical' || b.kind !== 'categorical') return false;
    return a.choices.length === b.choices.length && a.choices.every((c, i) => c === b.choices[i]);
  }
  return a.kind === b.kind && a.low === b.low && a.high === b.high && a.log === b.log && a.step === b.step;
}

/**
 * One running trial, define-by-run: the objective asks for each parameter where it needs it. Each
 * suggestion is checked (`checkDistribution`), sampled against the study's other trials (read from
 * storage once per context), recorded with `setTrialParam`, and returned; asking again for a name
 * returns the recorded value (also one recorded by an earlier context of the same trial) and refuses a
 * different distribution. Only this class of the search code does I/O, through `storage`.
 */
export class TrialContext {
  private history: readonly FrozenTrial[] | null = null;
  private readonly values = new Map<string, ParamValue>();
  private readonly chosen = new Map<string, Distribution>();
  private readonly reported = new Set<number>();

  constructor(
    private readonly storage: StudyStorage,
    readonly studyId: number,
    readonly trialId: number,
    readonly number: number,
    private readonly sampler: Sampler,
    private readonly pruner: Pruner,
    readonly direction: StudyDirection,
  ) {}

  /** The parameters suggested so far, name -> value. */
  get params(): Readonly<Record<string, ParamValue>> {
    return Object.fromEntries(this.values);
  }

  /** The distributions of the parameters suggested so far. */
  get distributions(): Readonly<Record<string, Distribution>> {
    return Object.fromEntries(this.chosen);
  }

  /** A float in [low, high]: log-uniform when `log`, on the grid low + k step when `step`. */
  suggestFloat(name: string, low: number, high: number, options: SuggestFloatOptions = {}): number {
    const distribution: Distribution = {
      kind: 'float',
      low,
      high,
      log: options.log ?? false,
      step: options.step ?? null,
    };
    return this.suggest(name, distribution) as number;
  }

  /** An integer in [low, high] on the grid low + k step (step default 1); log-uniform when `log`. */
  suggestInt(name: string, low: number, high: number, options: SuggestIntOptions = {}): number {
    const distribution: Distribution = {
      kind: 'int',
      low,
      high,
      log: options.log ?? false,
      step: options.step ?? 1,
    };
    return this.suggest(name, distribution) as number;
  }

  /** One of `choices` (strings, finite numbers, booleans or null; no duplicates). */
  suggestCategorical<T extends Choice>(name: string, choices: readonly T[]): T {
    return this.suggest(name, { kind: 'categorical', choices: [...choices] }) as T;
  }

  /**
   * A value of `distribution` for `name`. Throws a ConfigError naming the parameter when the
   * distribution is invalid or differs from the one `name` was first suggested with.
   */
  suggest(name: string, distribution: Distribution): ParamValue {
    checkDistribution(name, distribution);
    const history = this.loadHistory();
    const previous = this.chosen.get(name);
    if (previous !== undefined) {
      if (!sameDistribution(previous, distribution)) {
        throw new ConfigError(
          'PARAM_DISTRIBUTION_CONFLICT',
          `parameter "${name}" was suggested with ${JSON.stringify(previous)}, now with ${JSON.stringify(distribution)}`,
          { param: name, previous, requested: distribution },
        );
      }
      return this.values.get(name) as ParamValue;
    }
    const value = this.sampler.sample(history, name, distribution, {
      trialNumber: this.number,
      direction: this.direction,
    });
    if (!containsValue(distribution, value)) {
      throw new InvariantError(
        'SAMPLER_VALUE_OUTSIDE',
        `sampler ${this.sampler.name} returned ${String(value)} for "${name}"`,
        {
          param: name,
          value,
          distribution,
        },
      );
    }
    const recorded = structuredClone(distribution); // the caller may reuse and change its object
    this.storage.setTrialParam(this.trialId, name, value, recorded);
    this.values.set(name, value);
    this.chosen.set(name, recorded);
    return value;
  }

  /**
   * Records the intermediate objective value at `step` (a non-negative integer; NaN allowed). As in
   * Optuna, a second report for the same step is ignored. Throws a ConfigError for a bad step or value.
   */
  report(step: number, value: number): void {
    if (!Number.isSafeInteger(step) || step < 0) {
      throw new ConfigError('REPORT_INVALID', `report step must be a non-negative integer, was ${step}`, {
        step,
      });
    }
    if (typeof value !== 'number') {
      throw new ConfigError(
        'REPORT_INVALID',
        `report value at step ${step} must be a number, was ${typeof value}`,
        {
          step,
        },
      );
    }
    this.loadHistory();
    if (this.reported.has(step)) return;
    this.storage.setTrialIntermediateValue(this.trialId, step, value);
    this.reported.add(step);
  }

  /**
   * Asks the pruner whether to stop now, with this trial as stored (its intermediate values) and the
   * study's finished trials read fresh from storage (other workers may have finished some meanwhile).
   */
  shouldPrune(): boolean {
    const trial = this.storage.getTrial(this.trialId);
    const history = this.storage.getTrials(this.studyId, ['COMPLETE', 'PRUNED']);
    return this.pruner.shouldPrune(trial, history, this.direction);
  }

  /** Sets a user attribute of the trial (e.g. `model_path`); `key` must be a non-empty string. */
  setUserAttr(key: string, value: unknown): void {
    if (typeof key !== 'string' || key.length === 0) {
      throw new ConfigError('USER_ATTR_INVALID', 'user attribute key must be a non-empty string', { key });
    }
    this.storage.setTrialUserAttr(this.trialId, key, value);
  }

  /** The study's trials, read once; adopts what storage already holds for this trial. */
  private loadHistory(): readonly FrozenTrial[] {
    if (this.history !== null) return this.history;
    const all = this.storage.getTrials(this.studyId);
    const own = all.find((t) => t.trialId === this.trialId);
    if (own !== undefined) {
      for (const [name, value] of Object.entries(own.params)) {
        const distribution = own.distributions[name];
        if (distribution === undefined || this.chosen.has(name)) continue;
        this.values.set(name, value);
        this.chosen.set(name, distribution);
      }
      for (const step of own.intermediateValues.keys()) this.reported.add(step);
    }
    this.history = all.filter((t) => t.trialId !== this.trialId);
    return this.history;
  }
}

/**
 * Suggests every parameter of `space` in name order (JavaScript's default string sort) and returns
 * them by name. Each value is the same whatever the order (draws are keyed by name), the order only
 * makes the storage writes reproducible.
 */
export function suggestFromSpace(ctx: TrialContext, space: SearchSpace): Record<string, ParamValue> {
  const params: Record<string, ParamValue> = {};
  for (const name of Object.keys(space).sort()) params[name] = ctx.suggest(name, space[name]);
  return params;
}
