// Trial states and the frozen (read-only) view of a trial, as Optuna's RDB storage holds them.
import type { Distribution, ParamValue } from './distributions.js';

/** Optuna's TrialState names, stored verbatim in the trials.state column. */
export const TRIAL_STATES = ['RUNNING', 'COMPLETE', 'PRUNED', 'FAIL', 'WAITING'] as const;
export type TrialState = (typeof TRIAL_STATES)[number];

/** A trial as read back from storage. Times are epoch ms (UTC); null where not set. */
export interface FrozenTrial {
  /** Storage-wide primary key (trials.trial_id). */
  readonly trialId: number;
  /** 0-based number within its study (trials.number): unique, no gaps. */
  readonly number: number;
  readonly state: TrialState;
  /** Objective value of a COMPLETE trial (single objective), else null. */
  readonly value: number | null;
  /** External parameter values (categoricals as their choice). */
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly distributions: Readonly<Record<string, Distribution>>;
  readonly userAttrs: Readonly<Record<string, unknown>>;
  readonly systemAttrs: Readonly<Record<string, unknown>>;
  /** step -> intermediate value (NaN allowed, as Optuna). */
  readonly intermediateValues: ReadonlyMap<number, number>;
  readonly datetimeStart: number | null;
  readonly datetimeComplete: number | null;
}
