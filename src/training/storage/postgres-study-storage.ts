// StudyStorage on PostgreSQL (`pg`) in Optuna 3.1's schema, with Optuna's locking so Python workers can share a study.
import { InvariantError, StateError } from '../../core/errors.js';
import { type FrozenTrial, TRIAL_STATES, type TrialState } from '../trial.js';
import { FinishedTrialCache, type TrialScope } from './finished-trial-cache.js';
import { PgDatabase, type PgOptions, type PgSession, type PgValue } from './postgres-driver.js';
import { ensurePostgresSchema } from './postgres-schema.js';
import { enumField, intField, type Row, rowRef } from './row-fields.js';
import { encodeAttrValue, toOptunaDatetime } from './stored-values.js';
import { decodeAttrRows, decodeStudySummary, loadExistingStudy, studyNotFound } from './study-rows.js';
import type {
  CreatedTrial,
  CreateTrialOptions,
  StudyDirection,
  StudyStorage,
  StudySummary,
  TrialUpdate,
} from './study-storage.js';
import {
  assertGrace,
  assertParamsCompatible,
  assertUpdatable,
  type EncodedUpdate,
  encodeUpdate,
  trialNotFound,
} from './trial-checks.js';
import { assembleTrials } from './trial-rows.js';

/** Options of {@link PostgresStudyStorage.open}. */
export interface PostgresStudyStorageOptions extends PgOptions {
  /** Clock for datetime_start/datetime_complete (epoch ms). Default Date.now. */
  readonly nowMs?: () => number;
}

/** A study with its first direction and user attributes, in one statement. */
const STUDY_SELECT = `
  SELECT s.study_id, s.study_name,
    (SELECT row_to_json(d) FROM (SELECT study_direction_id, direction, objective FROM study_directions
       WHERE study_id = s.study_id ORDER BY objective LIMIT 1) d) AS direction,
    (SELECT coalesce(json_agg(a ORDER BY a.study_user_attribute_id), '[]') FROM
       (SELECT study_user_attribute_id, key, value_json FROM study_user_attributes WHERE study_id = s.study_id) a) AS user_attrs
  FROM studies s`;

/** Optuna's naive datetime text, whatever the server's DateStyle. */
const datetimeText = (column: string) => `to_char(${column}, 'YYYY-MM-DD HH24:MI:SS.US')`;

/**
 * Trials in `scope` (a subquery of trial ids, with its parameters) and all their child rows, in ONE
 * statement: one round trip and one snapshot, so a trial finishing meanwhile is never half read.
 */
const trialsSelect = (scope: string) => {
  const rows = (columns: string, table: string, order: string) =>
    `(SELECT coalesce(json_agg(r ORDER BY r.trial_id, r.${order}), '[]') FROM
       (SELECT ${columns} FROM ${table} WHERE trial_id IN (SELECT trial_id FROM scope)) r)`;
  return `
  WITH scope AS (${scope})
  SELECT
    (SELECT coalesce(json_agg(r ORDER BY r.number, r.trial_id), '[]') FROM
       (SELECT trial_id, number, state, ${datetimeText('datetime_start')} AS datetime_start,
               ${datetimeText('datetime_complete')} AS datetime_complete
        FROM trials WHERE trial_id IN (SELECT trial_id FROM scope)) r) AS trials,
    ${rows('param_id, trial_id, param_name, param_value, distribution_json', 'trial_params', 'param_id')} AS params,
    ${rows('trial_value_id, trial_id, objective, value, value_type', 'trial_values', 'objective')} AS values,
    ${rows('trial_intermediate_value_id, trial_id, step, intermediate_value, intermediate_value_type', 'trial_intermediate_values', 'step')} AS intermediates,
    ${rows('trial_user_attribute_id, trial_id, key, value_json', 'trial_user_attributes', 'trial_user_attribute_id')} AS user_attrs,
    ${rows('trial_system_attribute_id, trial_id, key, value_json', 'trial_system_attributes', 'trial_system_attribute_id')} AS system_attrs`;
};

const SCOPED_TRIALS = trialsSelect(
  'SELECT trial_id FROM trials WHERE study_id = $1 AND (trial_id > $2 OR trial_id = ANY($3::int[]))',
);
const ONE_TRIAL = trialsSelect('SELECT $1::int AS trial_id');

/**
 * Numbers a new trial as Optuna does (the count of the study's trials with a smaller trial_id), inserts
 * it RUNNING with its first heartbeat and system attributes, in one statement. The caller holds the
 * study's row lock (taken in the previous statement, so this one's snapshot sees every trial created
 * before the lock was granted).
 */
const INSERT_TRIAL = `
  WITH id AS (SELECT nextval(pg_get_serial_sequence('trials', 'trial_id'))::int AS trial_id),
  t AS (
    INSERT INTO trials (trial_id, number, study_id, state, datetime_start, datetime_complete)
    SELECT id.trial_id, (SELECT count(*) FROM trials WHERE study_id = $1 AND trial_id < id.trial_id), $1, 'RUNNING', $2::timestamp, NULL
    FROM id RETURNING trial_id, number),
  h AS (INSERT INTO trial_heartbeats (trial_id, heartbeat) SELECT trial_id, CURRENT_TIMESTAMP FROM t WHERE $3::boolean),
  a AS (INSERT INTO trial_system_attributes (trial_id, key, value_json)
        SELECT t.trial_id, x.key, x.json FROM t, unnest($4::text[], $5::text[]) AS x(key, json))
  SELECT trial_id, number FROM t`;

/** What a batch needs before it writes: the trial's state, and the study's stored distributions of its parameters. */
const UPDATE_CHECK = `
  SELECT t.study_id, t.number, t.state,
    (SELECT coalesce(json_agg(d), '[]') FROM (
       SELECT DISTINCT ON (p.param_name) p.param_id, p.param_name, p.distribution_json
       FROM trial_params p JOIN trials s ON s.trial_id = p.trial_id
       WHERE s.study_id = t.study_id AND p.param_name = ANY($2::text[])
       ORDER BY p.param_name, p.param_id) d) AS previous
  FROM trials t WHERE t.trial_id = $1`;

/**
 * A whole batch in one statement: the trial row is locked only while still RUNNING or WAITING (a trial
 * failed meanwhile by the stale check is not written: the count is 0), then parameters, intermediate
 * values, attributes, the value and the end are upserted as Optuna stores them.
 */
const UPDATE_WRITE = `
  WITH locked AS (SELECT trial_id FROM trials WHERE trial_id = $1 AND state IN ('RUNNING', 'WAITING') FOR NO KEY UPDATE),
  p AS (INSERT INTO trial_params (trial_id, param_name, param_value, distribution_json)
        SELECT l.trial_id, x.name, x.value, x.json FROM locked l, unnest($2::text[], $3::float8[], $4::text[]) AS x(name, value, json)
        ON CONFLICT (trial_id, param_name) DO UPDATE SET param_value = excluded.param_value, distribution_json = excluded.distribution_json),
  i AS (INSERT INTO trial_intermediate_values (trial_id, step, intermediate_value, intermediate_value_type)
        SELECT l.trial_id, x.step, x.value, x.type::trialintermediatevaluetype FROM locked l, unnest($5::int[], $6::float8[], $7::text[]) AS x(step, value, type)
        ON CONFLICT (trial_id, step) DO UPDATE SET intermediate_value = excluded.intermediate_value, intermediate_value_type = excluded.intermediate_value_type),
  u AS (INSERT INTO trial_user_attributes (trial_id, key, value_json)
        SELECT l.trial_id, x.key, x.json FROM locked l, unnest($8::text[], $9::text[]) AS x(key, json)
        ON CONFLICT (trial_id, key) DO UPDATE SET value_json = excluded.value_json),
  s AS (INSERT INTO trial_system_attributes (trial_id, key, value_json)
        SELECT l.trial_id, x.key, x.json FROM locked l, unnest($10::text[], $11::text[]) AS x(key, json)
        ON CONFLICT (trial_id, key) DO UPDATE SET value_json = excluded.value_json),
  v AS (INSERT INTO trial_values (trial_id, objective, value, value_type)
        SELECT l.trial_id, 0, $12::float8, $13::trialvaluetype FROM locked l WHERE $13::text IS NOT NULL
        ON CONFLICT (trial_id, objective) DO UPDATE SET value = excluded.value, value_type = excluded.value_type),
  f AS (UPDATE trials t SET state = $14::trialstate, datetime_complete = $15::timestamp
        FROM locked l WHERE t.trial_id = l.trial_id AND $14::text IS NOT NULL)
  SELECT count(*)::int AS locked FROM locked`;

/** Upserts the heartbeat with the database clock (CURRENT_TIMESTAMP in the session's time zone, as Optuna). */
const HEARTBEAT = `
  WITH h AS (
    INSERT INTO trial_heartbeats (trial_id, heartbeat) SELECT trial_id, CURRENT_TIMESTAMP FROM trials WHERE trial_id = $1
    ON CONFLICT (trial_id) DO UPDATE SET heartbeat = CURRENT_TIMESTAMP RETURNING 1)
  SELECT count(*)::int AS n FROM h`;

/** Fails stale trials in one statement; a trial finished by its worker meanwhile is re-checked under its lock and skipped. */
const FAIL_STALE = `
  UPDATE trials t SET state = 'FAIL', datetime_complete = $3::timestamp
  FROM trial_heartbeats h
  WHERE h.trial_id = t.trial_id AND t.study_id = $1 AND t.state = 'RUNNING'
    AND LOCALTIMESTAMP - h.heartbeat > make_interval(secs => $2)
  RETURNING t.number`;

const upsertStudyAttr = (table: string) => `
  INSERT INTO ${table} (study_id, key, value_json) SELECT study_id, $2, $3 FROM studies WHERE study_id = $1
  ON CONFLICT (study_id, key) DO UPDATE SET value_json = excluded.value_json`;

/** The parameters of a batch as the columns of UPDATE_WRITE ($2..$15). */
function writeParams(encoded: EncodedUpdate, completedAt: string): PgValue[] {
  const finish = encoded.finish;
  return [
    encoded.params.map((p) => p.name),
    encoded.params.map((p) => p.value),
    encoded.params.map((p) => p.distributionJson),
    encoded.intermediates.map((v) => v.step),
    encoded.intermediates.map((v) => v.value),
    encoded.intermediates.map((v) => v.type),
    encoded.userAttrs.map((a) => a.key),
    encoded.userAttrs.map((a) => a.json),
    encoded.systemAttrs.map((a) => a.key),
    encoded.systemAttrs.map((a) => a.json),
    finish?.value?.value ?? null,
    finish?.value?.type ?? null,
    finish?.state ?? null,
    finish ? completedAt : null,
  ];
}

const asRows = (value: unknown): Row[] => (Array.isArray(value) ? (value as Row[]) : []);

/**
 * Studies and trials in a PostgreSQL database that Python Optuna 3.1 (SQLAlchemy + psycopg2) and
 * optuna-dashboard use as their own, shared by any number of processes on any hosts:
 *
 * - a new trial is numbered under the study's row lock (`SELECT ... FOR UPDATE`, as Optuna): unique and
 *   gapless numbers whoever creates trials;
 * - a batch of writes locks only its trial's row, and only while the trial still runs: a trial the stale
 *   check failed meanwhile is refused (STUDY_TRIAL_FINISHED), never overwritten; heartbeats take no
 *   trial lock, so they never deadlock with trial writes;
 * - reads are single statements (one snapshot); finished trials are read once (FinishedTrialCache);
 * - every unit of work is retried on a fresh connection when it fails transiently (see PgDatabase).
 */
export class PostgresStudyStorage implements StudyStorage {
  private readonly cache = new FinishedTrialCache();

  private constructor(
    private readonly db: PgDatabase,
    private readonly nowMs: () => number,
  ) {}

  /**
   * Opens the database (creating Optuna's schema in a database without it). Throws ConfigError
   * STUDY_STORAGE_SCHEMA_UNSUPPORTED, or HybridTraderError STUDY_STORAGE_UNAVAILABLE when the server
   * cannot be reached for `retryForMs`.
   */
  static async open(
    url: string,
    shown: string,
    options: PostgresStudyStorageOptions = {},
  ): Promise<PostgresStudyStorage> {
    const db = PgDatabase.open(url, shown, options);
    try {
      await db.transaction(`create or check the schema of ${shown}`, (session) =>
        ensurePostgresSchema(session, shown),
      );
      return new PostgresStudyStorage(db, options.nowMs ?? Date.now);
    } catch (error) {
      await db.close();
      throw error;
    }
  }

  /** Round trips, transactions and retries since the storage opened. */
  get stats(): Readonly<PgDatabase['stats']> {
    return this.db.stats;
  }

  async createStudy(
    name: string,
    direction: StudyDirection,
    options: { loadIfExists?: boolean } = {},
  ): Promise<StudySummary> {
    return this.db.transaction(`create study ${name}`, async (session) => {
      const existing = await this.studyByName(session, name);
      if (existing !== null)
        return loadExistingStudy(name, direction, options.loadIfExists ?? false, existing);
      const inserted = await session.query(
        'INSERT INTO studies (study_name) VALUES ($1) ON CONFLICT (study_name) DO NOTHING RETURNING study_id',
        [name],
      );
      if (inserted.length === 0) {
        // created by another process since our read: theirs wins, as if it had been there
        const raced = await this.studyByName(session, name);
        if (raced === null)
          throw new StateError('STUDY_NOT_FOUND', `study ${name} was deleted while being created`, {
            study: name,
          });
        return loadExistingStudy(name, direction, options.loadIfExists ?? false, raced);
      }
      const studyId = Number(inserted[0]!.study_id);
      await session.query(
        'INSERT INTO study_directions (direction, study_id, objective) VALUES ($1, $2, 0)',
        [direction.toUpperCase(), studyId],
      );
      return { studyId, name, direction, userAttrs: {} };
    });
  }

  async findStudy(name: string): Promise<StudySummary | null> {
    const rows = await this.db.query(`read study ${name}`, `${STUDY_SELECT} WHERE s.study_name = $1`, [name]);
    return rows.length === 0 ? null : decodeStudyRow(rows[0]!);
  }

  async listStudies(): Promise<StudySummary[]> {
    const rows = await this.db.query('list studies', `${STUDY_SELECT} ORDER BY s.study_id`);
    return rows.map(decodeStudyRow);
  }

  async setStudyUserAttr(studyId: number, key: string, value: unknown): Promise<void> {
    const json = encodeAttrValue(key, value);
    await this.requireStudyWrite(
      studyId,
      `set user attribute ${key} of study ${studyId}`,
      upsertStudyAttr('study_user_attributes'),
      [studyId, key, json],
    );
  }

  async setStudySystemAttr(studyId: number, key: string, value: unknown): Promise<void> {
    const what = `set system attribute ${key} of study ${studyId}`;
    if (value === undefined) {
      await this.db.query(what, 'DELETE FROM study_system_attributes WHERE study_id = $1 AND key = $2', [
        studyId,
        key,
      ]);
      return;
    }
    const json = encodeAttrValue(key, value);
    await this.requireStudyWrite(studyId, what, upsertStudyAttr('study_system_attributes'), [
      studyId,
      key,
      json,
    ]);
  }

  async getStudySystemAttrs(studyId: number): Promise<Record<string, unknown>> {
    const rows = await this.db.query(
      `read the system attributes of study ${studyId}`,
      `SELECT (SELECT count(*) FROM studies WHERE study_id = $1)::int AS found,
         (SELECT coalesce(json_agg(a ORDER BY a.study_system_attribute_id), '[]') FROM
           (SELECT study_system_attribute_id, key, value_json FROM study_system_attributes WHERE study_id = $1) a) AS attrs`,
      [studyId],
    );
    if (rows[0]?.found !== 1) throw studyNotFound(studyId);
    return decodeAttrRows(asRows(rows[0].attrs), 'study_system_attributes', 'study_system_attribute_id');
  }

  async createTrial(studyId: number, options: CreateTrialOptions = {}): Promise<CreatedTrial> {
    const attrs = Object.entries(options.systemAttrs ?? {}).map(([key, value]) => [
      key,
      encodeAttrValue(key, value),
    ]);
    // READ COMMITTED whatever the database's default: the count must see every trial committed before
    // the study's lock was granted, which a REPEATABLE READ snapshot taken before it would not.
    const isolation = 'READ COMMITTED';
    return this.db.transaction(
      `create a trial in study ${studyId}`,
      async (session) => {
        // Optuna's lock: trial numbers are counted under it, by every process, Python's included.
        const study = await session.query('SELECT study_id FROM studies WHERE study_id = $1 FOR UPDATE', [
          studyId,
        ]);
        if (study.length === 0) throw studyNotFound(studyId);
        const rows = await session.query(INSERT_TRIAL, [
          studyId,
          toOptunaDatetime(this.nowMs()),
          options.heartbeat ?? false,
          attrs.map((a) => a[0]!),
          attrs.map((a) => a[1]!),
        ]);
        return { trialId: Number(rows[0]!.trial_id), number: Number(rows[0]!.number) };
      },
      { isolation },
    );
  }

  async updateTrial(trialId: number, update: TrialUpdate): Promise<void> {
    const names = (update.params ?? []).map((p) => p.name);
    await this.db.run(`update trial ${trialId}`, async (session, attempt) => {
      const checked = await session.query(UPDATE_CHECK, [trialId, names]);
      if (checked.length === 0) throw trialNotFound(trialId);
      const row = checked[0]!;
      const { number, state } = trialState(trialId, row);
      // A run after a lost answer: our own end of the trial may have landed already.
      if (attempt > 1 && update.finish !== undefined && state === update.finish.state) return;
      assertUpdatable(trialId, number, state);
      const encoded = encodeUpdate(trialId, number, update);
      const previous = new Map(
        asRows(row.previous).map((p) => [
          String(p.param_name),
          { json: String(p.distribution_json), ref: rowRef('trial_params', p, 'param_id') },
        ]),
      );
      assertParamsCompatible(encoded.params, previous);
      const completedAt = toOptunaDatetime(this.nowMs());
      const written = await session.query(UPDATE_WRITE, [trialId, ...writeParams(encoded, completedAt)]);
      if (written[0]?.locked === 1) return;
      // Finished by someone else (the stale-trial check) between the check and the write: say so.
      const now = await session.query('SELECT number, state FROM trials WHERE trial_id = $1', [trialId]);
      if (now.length === 0) throw trialNotFound(trialId);
      const after = trialState(trialId, now[0]!);
      assertUpdatable(trialId, after.number, after.state);
      throw new InvariantError(
        'STUDY_TRIAL_UNLOCKED',
        `trial ${number} is ${after.state} but could not be locked for writing`,
        { trialId },
      );
    });
  }

  async recordHeartbeat(trialId: number): Promise<void> {
    const rows = await this.db.query(`record the heartbeat of trial ${trialId}`, HEARTBEAT, [trialId]);
    if (rows[0]?.n !== 1) throw trialNotFound(trialId);
  }

  async failStaleTrials(studyId: number, graceSeconds: number): Promise<number[]> {
    assertGrace(graceSeconds);
    const rows = await this.db.query(`fail stale trials of study ${studyId}`, FAIL_STALE, [
      studyId,
      graceSeconds,
      toOptunaDatetime(this.nowMs()),
    ]);
    return rows.map((r) => Number(r.number)).sort((a, b) => a - b);
  }

  async getTrial(trialId: number): Promise<FrozenTrial> {
    const rows = await this.db.query(`read trial ${trialId}`, ONE_TRIAL, [trialId]);
    const trial = assembleFromJson(rows[0])[0];
    if (trial === undefined) throw trialNotFound(trialId);
    return trial;
  }

  async getTrials(studyId: number, states?: readonly TrialState[]): Promise<FrozenTrial[]> {
    const scope: TrialScope = this.cache.scope(studyId);
    const rows = await this.db.query(
      `read the trials of study ${studyId}`,
      `SELECT (SELECT count(*) FROM studies WHERE study_id = $1)::int AS found, x.* FROM (${SCOPED_TRIALS}) x`,
      [studyId, scope.afterId, [...scope.ids]],
    );
    if (rows[0]?.found !== 1) throw studyNotFound(studyId);
    return this.cache.merge(studyId, assembleFromJson(rows[0]), states);
  }

  async close(): Promise<void> {
    await this.db.close();
  }

  private async studyByName(session: PgSession, name: string): Promise<StudySummary | null> {
    const rows = await session.query(`${STUDY_SELECT} WHERE s.study_name = $1`, [name]);
    return rows.length === 0 ? null : decodeStudyRow(rows[0]!);
  }

  /** Runs an upsert that writes nothing when the study is missing, and throws STUDY_NOT_FOUND then. */
  private async requireStudyWrite(
    studyId: number,
    what: string,
    sql: string,
    params: PgValue[],
  ): Promise<void> {
    const rows = await this.db.query(
      what,
      `WITH w AS (${sql} RETURNING 1) SELECT count(*)::int AS n FROM w`,
      params,
    );
    if (rows[0]?.n !== 1) throw studyNotFound(studyId);
  }
}

function trialState(trialId: number, row: Row): { number: number; state: TrialState } {
  const ref = rowRef('trials', { ...row, trial_id: trialId }, 'trial_id');
  return { number: intField(row, ref, 'number'), state: enumField(row, ref, 'state', TRIAL_STATES) };
}

function decodeStudyRow(row: Row): StudySummary {
  const direction = row.direction as Row | null;
  return decodeStudySummary(row, direction ?? undefined, asRows(row.user_attrs));
}

function assembleFromJson(row: Row | undefined): FrozenTrial[] {
  if (row === undefined) return [];
  return assembleTrials({
    trials: asRows(row.trials),
    params: asRows(row.params),
    values: asRows(row.values),
    intermediates: asRows(row.intermediates),
    userAttrs: asRows(row.user_attrs),
    systemAttrs: asRows(row.system_attrs),
  });
}
