// Trial writes on SQLite as Optuna's RDBStorage makes them: numbering, batched updates, heartbeats, stale trials.
import { TRIAL_STATES, type TrialState } from '../trial.js';
import { enumField, intField, rowRef } from './row-fields.js';
import type { SqliteDatabase, SqliteStatement } from './sqlite-driver.js';
import { encodeAttrValue, toOptunaDatetime } from './stored-values.js';
import type { CreatedTrial, CreateTrialOptions, TrialUpdate } from './study-storage.js';
import {
  assertGrace,
  assertParamsCompatible,
  assertUpdatable,
  encodeUpdate,
  trialNotFound,
} from './trial-checks.js';

export type { FinishedState } from './study-storage.js';

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
  create(studyId: number, options: CreateTrialOptions = {}): CreatedTrial {
    const trialId = Number(this.s.insertTrial.run(studyId, toOptunaDatetime(this.nowMs())).lastInsertRowid);
    const number = Number(this.s.countPast.get(studyId, trialId)?.n);
    this.s.setNumber.run(number, trialId);
    for (const [key, value] of Object.entries(options.systemAttrs ?? {}))
      this.s.upsertSystemAttr.run(trialId, key, encodeAttrValue(key, value));
    if (options.heartbeat) this.s.heartbeat.run(trialId);
    return { trialId, number };
  }

  /** Applies a batch of writes to a RUNNING trial (see TrialUpdate); checks everything before writing. */
  update(trialId: number, update: TrialUpdate): void {
    const { studyId, number, state } = this.requireTrial(trialId);
    assertUpdatable(trialId, number, state);
    const encoded = encodeUpdate(trialId, number, update);
    const previous = new Map<string, { json: string; ref: ReturnType<typeof rowRef> }>();
    for (const p of encoded.params) {
      const row = this.s.studyParam.get(studyId, p.name);
      if (row !== undefined)
        previous.set(p.name, {
          json: String(row.distribution_json),
          ref: rowRef('trial_params', row, 'param_id'),
        });
    }
    assertParamsCompatible(encoded.params, previous);
    for (const p of encoded.params) this.s.upsertParam.run(trialId, p.name, p.value, p.distributionJson);
    for (const v of encoded.intermediates) this.s.upsertIntermediate.run(trialId, v.step, v.value, v.type);
    for (const a of encoded.userAttrs) this.s.upsertUserAttr.run(trialId, a.key, a.json);
    for (const a of encoded.systemAttrs) this.s.upsertSystemAttr.run(trialId, a.key, a.json);
    if (encoded.finish !== null) {
      if (encoded.finish.value !== null)
        this.s.upsertValue.run(trialId, encoded.finish.value.value, encoded.finish.value.type);
      this.s.finish.run(encoded.finish.state, toOptunaDatetime(this.nowMs()), trialId);
    }
  }

  /** Upserts trial_heartbeats with SQLite's CURRENT_TIMESTAMP (UTC, as Optuna's record_heartbeat). */
  heartbeat(trialId: number): void {
    this.requireTrial(trialId);
    this.s.heartbeat.run(trialId);
  }

  /** Marks RUNNING trials whose heartbeat is more than `graceSeconds` old as FAIL; returns their numbers. */
  failStale(studyId: number, graceSeconds: number): number[] {
    assertGrace(graceSeconds);
    const stale = this.s.stale.all(studyId, graceSeconds);
    const completedAt = toOptunaDatetime(this.nowMs());
    return stale.map((row) => {
      this.s.finish.run('FAIL', completedAt, row.trial_id as number);
      return row.number as number;
    });
  }

  private requireTrial(trialId: number): { studyId: number; number: number; state: TrialState } {
    const row = this.s.trial.get(trialId);
    if (row === undefined) throw trialNotFound(trialId);
    const ref = rowRef('trials', row, 'trial_id');
    return {
      studyId: intField(row, ref, 'study_id'),
      number: intField(row, ref, 'number'),
      state: enumField(row, ref, 'state', TRIAL_STATES),
    };
  }
}
