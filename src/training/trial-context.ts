// Define-by-run access to one running trial (like optuna.Trial): suggest parameters, report, prune.
import { ConfigError, InvariantError } from '../core/errors.js';
import {
  type Choice,
  type Distribution,
  floatDistribution,
  intDistribution,
  type ParamValue,
  type SearchSpace,
} from './distributions.js';
import type { Pruner } from './pruners/index.js';
import { checkDistribution, containsValue, type Sampler } from './samplers/index.js';
import type {
  FinishedState,
  ParamWrite,
  StudyDirection,
  StudyStorage,
  TrialUpdate,
} from './storage/study-storage.js';
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
 * storage once, when the context opens), kept, and returned; asking again for a name returns the kept
 * value (also one stored by an earlier context of the same trial) and refuses a different distribution.
 *
 * Suggestions, reports and attributes are synchronous and buffered: `flush` writes them in one storage
 * transaction (one round trip to a network database), as do `shouldPrune` and `finish` before they act.
 * Only this class of the search code does I/O, through `storage`.
 */
export class TrialContext {
  private readonly values = new Map<string, ParamValue>();
  private readonly chosen = new Map<string, Distribution>();
  private readonly reported = new Map<number, number>();
  private readonly userAttrs = new Map<string, unknown>();
  private pending: {
    params: ParamWrite[];
    steps: { step: number; value: number }[];
    attrs: Map<string, unknown>;
  } = { params: [], steps: [], attrs: new Map() };

  private constructor(
    private readonly storage: StudyStorage,
    readonly studyId: number,
    readonly trialId: number,
    readonly number: number,
    private readonly sampler: Sampler,
    private readonly pruner: Pruner,
    readonly direction: StudyDirection,
    private readonly history: readonly FrozenTrial[],
    /** Only trials numbered below this are seen by the sampler and the pruner (see `open`). */
    readonly visibleBelow: number,
  ) {}

  /**
   * Opens the context of trial (`trialId`, `number`), already RUNNING in storage: reads the study's
   * trials once (the sampler's history) and adopts what storage already holds for this trial. With
   * `visibleBelow` the sampler and the pruner see only the trials numbered below it (a history that does
   * not depend on worker timing once they have finished: see `awaitTrialsBelow`); default all of them.
   */
  static async open(
    storage: StudyStorage,
    studyId: number,
    trialId: number,
    number: number,
    sampler: Sampler,
    pruner: Pruner,
    direction: StudyDirection,
    visibleBelow = Number.POSITIVE_INFINITY,
  ): Promise<TrialContext> {
    const all = await storage.getTrials(studyId);
    const ctx = new TrialContext(
      storage,
      studyId,
      trialId,
      number,
      sampler,
      pruner,
      direction,
      all.filter((t) => t.trialId !== trialId && t.number < visibleBelow),
      visibleBelow,
    );
    const own = all.find((t) => t.trialId === trialId);
    if (own !== undefined) {
      for (const [name, value] of Object.entries(own.params)) {
        const distribution = own.distributions[name];
        if (distribution === undefined) continue;
        ctx.values.set(name, value);
        ctx.chosen.set(name, distribution);
      }
      for (const [step, value] of own.intermediateValues) ctx.reported.set(step, value);
      for (const [key, value] of Object.entries(own.userAttrs)) ctx.userAttrs.set(key, value);
    }
    return ctx;
  }

  /** The other trials of the study this trial learns from (as the sampler sees them). */
  visibleTrials(): readonly FrozenTrial[] {
    return this.history;
  }

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
    return this.suggest(name, floatDistribution(low, high, options)) as number;
  }

  /** An integer in [low, high] on the grid low + k step (step default 1); log-uniform when `log`. */
  suggestInt(name: string, low: number, high: number, options: SuggestIntOptions = {}): number {
    return this.suggest(name, intDistribution(low, high, options)) as number;
  }

  /** One of `choices` (strings, finite numbers, booleans or null; no duplicates). */
  suggestCategorical<T extends Choice>(name: string, choices: readonly T[]): T {
    return this.suggest(name, { kind: 'categorical', choices: [...choices] }) as T;
  }

  /**
   * A value of `distribution` for `name` (stored at the next flush). Throws a ConfigError naming the
   * parameter when the distribution is invalid or differs from the one `name` was first suggested with.
   */
  suggest(name: string, distribution: Distribution): ParamValue {
    checkDistribution(name, distribution);
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
    const value = this.sampler.sample(this.history, name, distribution, {
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
    this.pending.params.push({ name, value, distribution: recorded });
    this.values.set(name, value);
    this.chosen.set(name, recorded);
    return value;
  }

  /**
   * Records the intermediate objective value at `step` (a non-negative integer; NaN allowed), stored at
   * the next flush. As in Optuna, a second report for the same step is ignored. Throws a ConfigError for
   * a bad step or value.
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
    if (this.reported.has(step)) return;
    this.reported.set(step, value);
    this.pending.steps.push({ step, value });
  }

  /** Sets a user attribute of the trial (e.g. `model_path`), stored at the next flush; `key` must be non-empty. */
  setUserAttr(key: string, value: unknown): void {
    if (typeof key !== 'string' || key.length === 0) {
      throw new ConfigError('USER_ATTR_INVALID', 'user attribute key must be a non-empty string', { key });
    }
    this.userAttrs.set(key, value);
    this.pending.attrs.set(key, value);
  }

  /** Writes the buffered suggestions, reports and attributes in one storage transaction. */
  async flush(): Promise<void> {
    if (this.hasPending()) await this.updateTrial(this.trialId, {});
  }

  private hasPending(): boolean {
    const { params, steps, attrs } = this.pending;
    return params.length > 0 || steps.length > 0 || attrs.size > 0;
  }

  /**
   * Writes what is buffered, then asks the pruner whether to stop now, with this trial as it stands
   * (its intermediate values) and the study's finished trials read fresh from storage (other workers
   * may have finished some meanwhile).
   */
  async shouldPrune(): Promise<boolean> {
    await this.flush();
    const history = (await this.storage.getTrials(this.studyId, ['COMPLETE', 'PRUNED'])).filter(
      (t) => t.number < this.visibleBelow,
    );
    return this.pruner.shouldPrune(this.snapshot(), history, this.direction);
  }

  /** Writes what is buffered and ends the trial, in one transaction (see TrialUpdate.finish). */
  async finish(state: FinishedState, value?: number | null): Promise<void> {
    await this.updateTrial(this.trialId, { finish: { state, value } });
  }

  /**
   * Writes what is buffered together with `update` (e.g. the end of the trial) in one transaction; the
   * buffer is kept when the write fails. Same signature as StudyStorage.updateTrial.
   */
  async updateTrial(trialId: number, update: TrialUpdate): Promise<void> {
    if (trialId !== this.trialId)
      throw new InvariantError(
        'TRIAL_CONTEXT_MISMATCH',
        `trial context ${this.trialId} asked to update ${trialId}`,
      );
    const pending = this.pending;
    const buffered = this.takePending() ?? {};
    try {
      await this.storage.updateTrial(this.trialId, mergeUpdates(buffered, update));
    } catch (error) {
      this.pending = pending;
      throw error;
    }
  }

  /** The buffered writes as one update (null when there are none), and an empty buffer. */
  private takePending(): TrialUpdate | null {
    if (!this.hasPending()) return null;
    const { params, steps, attrs } = this.pending;
    this.pending = { params: [], steps: [], attrs: new Map() };
    return {
      params,
      intermediateValues: steps,
      userAttrs: Object.fromEntries(attrs),
    };
  }

  /** This running trial as the pruner sees it. */
  private snapshot(): FrozenTrial {
    return {
      trialId: this.trialId,
      number: this.number,
      state: 'RUNNING',
      value: null,
      params: this.params,
      distributions: this.distributions,
      userAttrs: Object.fromEntries(this.userAttrs),
      systemAttrs: {},
      intermediateValues: new Map(this.reported),
      datetimeStart: null,
      datetimeComplete: null,
    };
  }
}

/** Two updates as one: `b`'s entries after `a`'s (attributes of `b` win), `b`'s end of the trial. */
function mergeUpdates(a: TrialUpdate, b: TrialUpdate): TrialUpdate {
  return {
    params: [...(a.params ?? []), ...(b.params ?? [])],
    intermediateValues: [...(a.intermediateValues ?? []), ...(b.intermediateValues ?? [])],
    userAttrs: { ...a.userAttrs, ...b.userAttrs },
    systemAttrs: { ...a.systemAttrs, ...b.systemAttrs },
    finish: b.finish ?? a.finish,
  };
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
