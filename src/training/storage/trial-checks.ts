// The checks Optuna's storage makes before a trial write, shared by the SQLite and PostgreSQL writers.
import { ConfigError, DataError, StateError } from '../../core/errors.js';
import type { Distribution } from '../distributions.js';
import type { TrialState } from '../trial.js';
import {
  assertCompatible,
  assertValidDistribution,
  decodeDistribution,
  encodeDistribution,
  toInternalValue,
} from './distribution-json.js';
import type { RowRef } from './row-fields.js';
import { encodeAttrValue, type StoredValueType, toStoredValue } from './stored-values.js';
import type { FinishedState, TrialUpdate } from './study-storage.js';

/** Optuna's check_trial_is_updatable: a finished trial throws StateError STUDY_TRIAL_FINISHED. */
export function assertUpdatable(trialId: number, number: number, state: TrialState): void {
  if (state !== 'RUNNING' && state !== 'WAITING') {
    throw new StateError(
      'STUDY_TRIAL_FINISHED',
      `trial ${number} (trial_id ${trialId}) is already ${state} and cannot be updated`,
      { trialId, number, state },
    );
  }
}

/** Throws StateError STUDY_TRIAL_NOT_FOUND. */
export function trialNotFound(trialId: number): StateError {
  return new StateError('STUDY_TRIAL_NOT_FOUND', `study storage has no trial with trial_id ${trialId}`, {
    trialId,
  });
}

/** Throws ConfigError STUDY_GRACE_INVALID unless `graceSeconds` is a finite number >= 0. */
export function assertGrace(graceSeconds: number): void {
  if (!Number.isFinite(graceSeconds) || graceSeconds < 0) {
    throw new ConfigError(
      'STUDY_GRACE_INVALID',
      `heartbeat grace period must be >= 0 s, was ${graceSeconds}`,
      { graceSeconds },
    );
  }
}

/** A parameter row ready to store. */
export interface EncodedParam {
  readonly name: string;
  /** Internal value (a categorical's index). */
  readonly value: number;
  readonly distributionJson: string;
  readonly distribution: Distribution;
}

/** A (value, type) pair ready to store. */
export interface EncodedValue {
  readonly value: number | null;
  readonly type: StoredValueType;
}

/** Everything of a TrialUpdate encoded and checked, except what needs the database (compatibility). */
export interface EncodedUpdate {
  readonly params: readonly EncodedParam[];
  readonly intermediates: readonly (EncodedValue & { readonly step: number })[];
  readonly userAttrs: readonly { readonly key: string; readonly json: string }[];
  readonly systemAttrs: readonly { readonly key: string; readonly json: string }[];
  readonly finish: { readonly state: FinishedState; readonly value: EncodedValue | null } | null;
}

/**
 * Validates and encodes an update as Optuna would store it (DataError STUDY_DISTRIBUTION_INVALID,
 * STUDY_PARAM_OUT_OF_DISTRIBUTION, STUDY_STEP_INVALID, STUDY_ATTR_NOT_JSON, STUDY_TRIAL_VALUE_INVALID).
 * `number` names the trial in messages.
 */
export function encodeUpdate(trialId: number, number: number, update: TrialUpdate): EncodedUpdate {
  const params = (update.params ?? []).map((p) => {
    assertValidDistribution(p.name, p.distribution);
    return {
      name: p.name,
      value: toInternalValue(p.name, p.value, p.distribution),
      distributionJson: encodeDistribution(p.distribution),
      distribution: p.distribution,
    };
  });
  const intermediates = (update.intermediateValues ?? []).map(({ step, value }) => {
    if (!Number.isSafeInteger(step) || step < 0) {
      const message = `intermediate value step must be an integer >= 0, was ${step}`;
      throw new DataError('STUDY_STEP_INVALID', message, { trialId, step });
    }
    return { step, ...toStoredValue(value) };
  });
  const attrs = (record: Readonly<Record<string, unknown>> | undefined) =>
    Object.entries(record ?? {}).map(([key, value]) => ({ key, json: encodeAttrValue(key, value) }));
  return {
    params,
    intermediates,
    userAttrs: attrs(update.userAttrs),
    systemAttrs: attrs(update.systemAttrs),
    finish: update.finish ? encodeFinish(trialId, number, update.finish.state, update.finish.value) : null,
  };
}

/**
 * The stored value of a trial's end. COMPLETE needs a non-NaN value (infinities are stored as
 * INF_POS/INF_NEG); PRUNED stores its value when given and not NaN; FAIL takes none.
 */
function encodeFinish(
  trialId: number,
  number: number,
  state: FinishedState,
  value: number | null | undefined,
): { state: FinishedState; value: EncodedValue | null } {
  const bad = (why: string): DataError =>
    new DataError('STUDY_TRIAL_VALUE_INVALID', `trial ${number} finishing as ${state}: ${why}`, {
      trialId,
      state,
      value,
    });
  const given = value ?? null;
  if (state === 'COMPLETE' && (given === null || Number.isNaN(given)))
    throw bad(`needs a value, was ${given}`);
  if (state === 'FAIL' && given !== null) throw bad(`takes no value, was ${given}`);
  if (given === null || Number.isNaN(given)) return { state, value: null };
  const stored = toStoredValue(given);
  return { state, value: { value: stored.value, type: stored.type } };
}

/**
 * Optuna's check_distribution_compatibility of each new parameter against the stored distribution of the
 * same name in the study (`previous`, name -> distribution_json with the row it came from).
 * Throws DataError STUDY_DISTRIBUTION_INCOMPATIBLE.
 */
export function assertParamsCompatible(
  params: readonly EncodedParam[],
  previous: ReadonlyMap<string, { readonly json: string; readonly ref: RowRef }>,
): void {
  for (const p of params) {
    const stored = previous.get(p.name);
    if (stored !== undefined)
      assertCompatible(p.name, decodeDistribution(stored.json, stored.ref), p.distribution);
  }
}
