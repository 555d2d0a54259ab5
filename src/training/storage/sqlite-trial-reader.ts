// Reads trial rows from SQLite with reusable prepared statements, for one trial or a study's refresh scope.
import type { FrozenTrial } from '../trial.js';
import type { TrialScope } from './finished-trial-cache.js';
import type { BindValue, SqliteDatabase, SqliteStatement } from './sqlite-driver.js';
import { assembleTrials } from './trial-rows.js';

/** The statements for one scope of trials: `scope` is a subquery selecting trial_ids. */
interface ScopedQueries {
  readonly trials: SqliteStatement;
  readonly params: SqliteStatement;
  readonly values: SqliteStatement;
  readonly intermediates: SqliteStatement;
  readonly userAttrs: SqliteStatement;
  readonly systemAttrs: SqliteStatement;
}

function prepareScope(db: SqliteDatabase, scope: string): ScopedQueries {
  const children = (columns: string, table: string, order: string): SqliteStatement =>
    db.prepare(`SELECT ${columns} FROM ${table} WHERE trial_id IN (${scope}) ORDER BY trial_id, ${order}`);
  return {
    trials: db.prepare(
      `SELECT trial_id, number, state, datetime_start, datetime_complete FROM trials WHERE trial_id IN (${scope}) ORDER BY number, trial_id`,
    ),
    params: children(
      'param_id, trial_id, param_name, param_value, distribution_json',
      'trial_params',
      'param_id',
    ),
    values: children('trial_value_id, trial_id, objective, value, value_type', 'trial_values', 'objective'),
    intermediates: children(
      'trial_intermediate_value_id, trial_id, step, intermediate_value, intermediate_value_type',
      'trial_intermediate_values',
      'step',
    ),
    userAttrs: children(
      'trial_user_attribute_id, trial_id, "key", value_json',
      'trial_user_attributes',
      'trial_user_attribute_id',
    ),
    systemAttrs: children(
      'trial_system_attribute_id, trial_id, "key", value_json',
      'trial_system_attributes',
      'trial_system_attribute_id',
    ),
  };
}

/** Reads FrozenTrials from SQLite. Call inside a read transaction for one snapshot. */
export class SqliteTrialReader {
  private readonly byScope: ScopedQueries;
  private readonly byTrial: ScopedQueries;

  constructor(db: SqliteDatabase) {
    this.byScope = prepareScope(
      db,
      'SELECT trial_id FROM trials WHERE study_id = ? AND (trial_id > ? OR trial_id IN (SELECT value FROM json_each(?)))',
    );
    this.byTrial = prepareScope(db, 'SELECT ?');
  }

  /** Trials of the study in `scope` (newer than `afterId`, or among `ids`), ordered by number. */
  studyTrials(studyId: number, scope: TrialScope): FrozenTrial[] {
    return this.read(this.byScope, [studyId, scope.afterId, JSON.stringify(scope.ids)]);
  }

  /** The trial, or null if there is none with that id. */
  trial(trialId: number): FrozenTrial | null {
    return this.read(this.byTrial, [trialId])[0] ?? null;
  }

  private read(q: ScopedQueries, args: BindValue[]): FrozenTrial[] {
    const trials = q.trials.all(...args);
    if (trials.length === 0) return [];
    return assembleTrials({
      trials,
      params: q.params.all(...args),
      values: q.values.all(...args),
      intermediates: q.intermediates.all(...args),
      userAttrs: q.userAttrs.all(...args),
      systemAttrs: q.systemAttrs.all(...args),
    });
  }
}
