// Trial writes as Optuna's RDBStorage makes them: numbering, params, values, attributes, heartbeats, stale trials.
import { ConfigError, DataError, StateError } from '../../core/errors.js';
import type { Distribution, ParamValue } from '../distributions.js';
import { TRIAL_STATES, type TrialState } from '../trial.js';
import {
  assertCompatible,
  assertValidDistribution,
  decodeDistribution,
  encodeDistribution,
  toInternalValue,
} from './distribution-json.js';
import { enumField, intField, rowRef } from './row-fields.js';
import type { SqliteDatabase, SqliteStatement } from './sqlite-driver.js';
import { encodeAttrValue, toOptunaDatetime, toStoredValue } from './stored-values.js';

/** States a trial ends in. */
export type FinishedState = Exclude<TrialState, 'RUNNING' | 'WAITING'>;

const attrUpsert = (table: string): string =>
  `INSERT INTO ${table} (trial_id, "key", value_json) VALUES (?, ?, ?) ` +
  'ON CONFLICT (trial_id, "key") DO UPDATE SET value_json = excluded.value_json';

/** The prepared statements of {@link TrialWriter}, prepared once per connection. */
function prepareStatements(db: SqliteDatabase) {
  return {
    insertTrial: db.prepare(
      "INSERT INTO trials (number, study_id, state, datetime_start, datetime_complete) VALUES (NULL, ?, 'RUNNING', ?, NULL)",
    ),
    countPast: db.prepare('SELECT count(*) AS n FROM trials WHERE study_id = ? AND trial_id < ?'),
    setNumber: db.prepare('UPDATE trials SET number = ? WHERE trial_id = ?'),
    trial: db.prepare('SELECT trial_id, number, study_id, state FROM trials WHERE trial_id = ?'),
    studyParam: db.prepare(
      'SELECT p.param_id, p.distribution_json FROM trial_params p JOIN trials t ON t.trial_id = p.trial_id ' +
        'WHERE t.study_id = ? AND p.param_name = ? ORDER BY p.param_id LIMIT 1',
    ),
    upsertParam: db.prepare(
      'INSERT INTO trial_params (trial_id, param_name, param_value, distribution_json) VALUES (?, ?, ?, ?) ' +
        'ON CONFLICT (trial_id, param_name) DO UPDATE SET param_value = excluded.param_value, distribution_json = excluded.distribution_json',
    ),
    upsertIntermediate: db.prepare(
      'INSERT INTO trial_intermediate_values (trial_id, step, intermediate_value, intermediate_value_type) VALUES (?, ?, ?, ?) ' +
        'ON CONFLICT (trial_id, step) DO UPDATE SET intermediate_value = excluded.intermediate_value, ' +
        'intermediate_value_type = excluded.intermediate_value_type',
    ),
    upsertUserAttr: db.prepare(attrUpsert('trial_user_attributes')),
    upsertSystemAttr: db.prepare(attrUpsert('trial_system_attributes')),
    upsertValue: db.prepare(
      'INSERT INTO trial_values (trial_id, objective, value, value_type) VALUES (?, 0, ?, ?) ' +
        'ON CONFLICT (trial_id, objective) DO UPDATE SET value = excluded.value, value_type = excluded.value_type',
    ),
    finish: db.prepare('UPDATE trials SET state = ?, datetime_complete = ? WHERE trial_id = ?'),
    heartbeat: db.prepare(
      'INSERT INTO trial_heartbeats (trial_id, heartbeat) VALUES (?, CURRENT_TIMESTAMP) ' +
        'ON CONFLICT (trial_id) DO UPDATE SET heartbeat = CURRENT_TIMESTAMP',
    ),
    stale: db.prepare(
      'SELECT t.trial_id, t.number FROM trials t JOIN trial_heartbeats h ON h.trial_id = t.trial_id ' +
        "WHERE t.study_id = ? AND t.state = 'RUNNING' AND (julianday('now') - julianday(h.heartbeat)) * 86400.0 > ? " +
        'ORDER BY t.number',
    ),
  } satisfies Record<string, SqliteStatement>;
}

/**
 * Trial-level writes. Each method is one unit of work; the caller runs it inside a BEGIN IMMEDIATE
 * transaction (so reads and writes here see and hold the write lock) with busy retry around it.
 */
export class TrialWriter {
  private readonly s: ReturnType<typeof prepareStatements>;

  constructor(
    db: SqliteDatabase,
    private readonly nowMs: () => number,
  ) {
    this.s = prepareStatements(db);
  }

  /** Inserts a RUNNING trial, then numbers it by the count of earlier trials of its study (as Optuna). */
  create(studyId: number): { trialId: number; number: number } {
    const trialId = Number(this.s.insertTrial.run(studyId, toOptunaDatetime(this.nowMs())).lastInsertRowid);
    const number = Number(this.s.countPast.get(studyId, trialId)?.n);
    this.s.setNumber.run(number, trialId);
    return { trialId, number };
  }

  setParam(trialId: number, name: string, value: ParamValue, distribution: Distribution): void {
    const { studyId } = this.updatable(trialId);
    assertValidDistribution(name, distribution);
    const internal = toInternalValue(name, value, distribution);
    const previous = this.s.studyParam.get(studyId, name);
    if (previous !== undefined) {
      const ref = rowRef('trial_params', previous, 'param_id');
      assertCompatible(name, decodeDistribution(String(previous.distribution_json), ref), distribution);
    }
    this.s.upsertParam.run(trialId, name, internal, encodeDistribution(distribution));
  }

  setIntermediateValue(trialId: number, step: number, value: number): void {
    this.updatable(trialId);
    if (!Number.isSafeInteger(step) || step < 0) {
      const message = `intermediate value step must be an integer >= 0, was ${step}`;
      throw new DataError('STUDY_STEP_INVALID', message, { trialId, step });
    }
    const stored = toStoredValue(value);
    this.s.upsertIntermediate.run(trialId, step, stored.value, stored.type);
  }

  setAttr(kind: 'user' | 'system', trialId: number, key: string, value: unknown): void {
    this.updatable(trialId);
    const statement = kind === 'user' ? this.s.upsertUserAttr : this.s.upsertSystemAttr;
    statement.run(trialId, key, encodeAttrValue(key, value));
  }

  /**
   * Ends the trial. COMPLETE needs a non-NaN value (infinities are stored as INF_POS/INF_NEG); PRUNED
   * stores its value when given and not NaN; FAIL takes none. Sets datetime_complete.
   */
  finish(trialId: number, state: FinishedState, value: number | null | undefined): void {
    const { number } = this.updatable(trialId);
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
    if (given !== null && !Number.isNaN(given)) {
      const stored = toStoredValue(given);
      this.s.upsertValue.run(trialId, stored.value, stored.type);
    }
    this.s.finish.run(state, toOptunaDatetime(this.nowMs()), trialId);
  }

  /** Upserts trial_heartbeats with SQLite's CURRENT_TIMESTAMP (UTC, as Optuna's record_heartbeat). */
  heartbeat(trialId: number): void {
    this.requireTrial(trialId);
    this.s.heartbeat.run(trialId);
  }

  /** Marks RUNNING trials whose heartbeat is more than `graceSeconds` old as FAIL; returns their numbers. */
  failStale(studyId: number, graceSeconds: number): number[] {
    if (!Number.isFinite(graceSeconds) || graceSeconds < 0) {
      throw new ConfigError(
        'STUDY_GRACE_INVALID',
        `heartbeat grace period must be >= 0 s, was ${graceSeconds}`,
        {
          graceSeconds,
        },
      );
    }
    const stale = this.s.stale.all(studyId, graceSeconds);
    const completedAt = toOptunaDatetime(this.nowMs());
    return stale.map((row) => {
      this.s.finish.run('FAIL', completedAt, row.trial_id as number);
      return row.number as number;
    });
  }

  private requireTrial(trialId: number): { studyId: number; number: number; state: TrialState } {
    const row = this.s.trial.get(trialId);
    if (row === undefined) {
      throw new StateError('STUDY_TRIAL_NOT_FOUND', `study storage has no trial with trial_id ${trialId}`, {
        trialId,
      });
    }
    const ref = rowRef('trials', row, 'trial_id');
    return {
      studyId: intField(row, ref, 'study_id'),
      number: intField(row, ref, 'number'),
      state: enumField(row, ref, 'state', TRIAL_STATES),
    };
  }

  /** Optuna's check_trial_is_updatable: a finished trial throws StateError STUDY_TRIAL_FINISHED. */
  private updatable(trialId: number): { studyId: number; number: number } {
    const trial = this.requireTrial(trialId);
    if (trial.state !== 'RUNNING' && trial.state !== 'WAITING') {
      throw new StateError(
        'STUDY_TRIAL_FINISHED',
        `trial ${trial.number} (trial_id ${trialId}) is already ${trial.state} and cannot be updated`,
        { trialId, number: trial.number, state: trial.state },
      );
    }
    return trial;
  }
}
