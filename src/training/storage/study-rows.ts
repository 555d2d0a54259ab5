// Study rows: studies, study_directions and study_user_attributes, read and written with prepared statements.
import { ConfigError, StateError } from '../../core/errors.js';
import { enumField, intField, invalidRow, type Row, rowRef, stringField } from './row-fields.js';
import type { SqliteDatabase, SqliteStatement } from './sqlite-driver.js';
import { decodeAttrValue, encodeAttrValue } from './stored-values.js';
import type { StudyDirection, StudySummary } from './study-storage.js';

/** study_directions.direction values Optuna writes (NOT_SET exists in its enum but is never usable). */
const STORED_DIRECTIONS = ['MINIMIZE', 'MAXIMIZE', 'NOT_SET'] as const;

/** Study-level operations. Methods assume the caller holds a transaction where consistency matters. */
export class StudyRows {
  private readonly byName: SqliteStatement;
  private readonly byId: SqliteStatement;
  private readonly all: SqliteStatement;
  private readonly insertStudy: SqliteStatement;
  private readonly insertDirection: SqliteStatement;
  private readonly directions: SqliteStatement;
  private readonly userAttrs: SqliteStatement;
  private readonly upsertUserAttr: SqliteStatement;
  private readonly systemAttrs: SqliteStatement;
  private readonly upsertSystemAttr: SqliteStatement;
  private readonly deleteSystemAttr: SqliteStatement;

  constructor(db: SqliteDatabase) {
    this.byName = db.prepare('SELECT study_id, study_name FROM studies WHERE study_name = ?');
    this.byId = db.prepare('SELECT study_id, study_name FROM studies WHERE study_id = ?');
    this.all = db.prepare('SELECT study_id, study_name FROM studies ORDER BY study_id');
    this.insertStudy = db.prepare('INSERT INTO studies (study_name) VALUES (?)');
    this.insertDirection = db.prepare(
      'INSERT INTO study_directions (direction, study_id, objective) VALUES (?, ?, 0)',
    );
    this.directions = db.prepare(
      'SELECT study_direction_id, direction, objective FROM study_directions WHERE study_id = ? ORDER BY objective',
    );
    this.userAttrs = db.prepare(
      'SELECT study_user_attribute_id, "key", value_json FROM study_user_attributes WHERE study_id = ? ORDER BY study_user_attribute_id',
    );
    this.upsertUserAttr = db.prepare(
      'INSERT INTO study_user_attributes (study_id, "key", value_json) VALUES (?, ?, ?) ' +
        'ON CONFLICT (study_id, "key") DO UPDATE SET value_json = excluded.value_json',
    );
    this.systemAttrs = db.prepare(
      'SELECT study_system_attribute_id, "key", value_json FROM study_system_attributes WHERE study_id = ? ORDER BY study_system_attribute_id',
    );
    this.upsertSystemAttr = db.prepare(
      'INSERT INTO study_system_attributes (study_id, "key", value_json) VALUES (?, ?, ?) ' +
        'ON CONFLICT (study_id, "key") DO UPDATE SET value_json = excluded.value_json',
    );
    this.deleteSystemAttr = db.prepare(
      'DELETE FROM study_system_attributes WHERE study_id = ? AND "key" = ?',
    );
  }

  /** Creates the study with its direction (objective 0), or loads it when `loadIfExists`. */
  create(name: string, direction: StudyDirection, loadIfExists: boolean): StudySummary {
    const existing = this.byName.get(name);
    if (existing !== undefined)
      return loadExistingStudy(name, direction, loadIfExists, this.summary(existing));
    const studyId = Number(this.insertStudy.run(name).lastInsertRowid);
    this.insertDirection.run(direction.toUpperCase(), studyId);
    return { studyId, name, direction, userAttrs: {} };
  }

  find(name: string): StudySummary | null {
    const row = this.byName.get(name);
    return row === undefined ? null : this.summary(row);
  }

  list(): StudySummary[] {
    return this.all.all().map((row) => this.summary(row));
  }

  /** Throws StateError STUDY_NOT_FOUND when there is no study with this id. */
  requireExists(studyId: number): void {
    if (this.byId.get(studyId) === undefined) throw studyNotFound(studyId);
  }

  setUserAttr(studyId: number, key: string, value: unknown): void {
    this.requireExists(studyId);
    this.upsertUserAttr.run(studyId, key, encodeAttrValue(key, value));
  }

  /** Sets a study system attribute, or deletes it when `value` is undefined. */
  setSystemAttr(studyId: number, key: string, value: unknown): void {
    this.requireExists(studyId);
    if (value === undefined) this.deleteSystemAttr.run(studyId, key);
    else this.upsertSystemAttr.run(studyId, key, encodeAttrValue(key, value));
  }

  /** The study's system attributes, key -> parsed value. */
  getSystemAttrs(studyId: number): Record<string, unknown> {
    this.requireExists(studyId);
    return decodeAttrRows(
      this.systemAttrs.all(studyId),
      'study_system_attributes',
      'study_system_attribute_id',
    );
  }

  /** A study row with its direction and user attributes. */
  private summary(row: Row): StudySummary {
    const studyId = intField(row, rowRef('studies', row, 'study_id'), 'study_id');
    return decodeStudySummary(row, this.directions.get(studyId), this.userAttrs.all(studyId));
  }
}

/**
 * A study from its row, its first study_directions row and its user attribute rows. A multi-objective
 * study (written by Python) is summarised by its first objective's direction; its trials are refused by
 * the trial reader. Throws StateError STUDY_STORAGE_ROW_INVALID.
 */
export function decodeStudySummary(
  row: Row,
  firstDirection: Row | undefined,
  userAttrRows: readonly Row[],
): StudySummary {
  const ref = rowRef('studies', row, 'study_id');
  const studyId = intField(row, ref, 'study_id');
  const name = stringField(row, ref, 'study_name');
  if (firstDirection === undefined)
    throw invalidRow(ref, 'study_directions', 'a direction row for objective 0', 'none');
  const directionRef = rowRef('study_directions', firstDirection, 'study_direction_id');
  const stored = enumField(firstDirection, directionRef, 'direction', STORED_DIRECTIONS);
  if (stored === 'NOT_SET') throw invalidRow(directionRef, 'direction', 'MINIMIZE or MAXIMIZE', stored);
  const userAttrs = decodeAttrRows(userAttrRows, 'study_user_attributes', 'study_user_attribute_id');
  return { studyId, name, direction: stored === 'MAXIMIZE' ? 'maximize' : 'minimize', userAttrs };
}

/**
 * What `createStudy` returns for a study that exists: the study when `loadIfExists` and the direction
 * matches; ConfigError STUDY_EXISTS or STUDY_DIRECTION_MISMATCH otherwise.
 */
export function loadExistingStudy(
  name: string,
  direction: StudyDirection,
  loadIfExists: boolean,
  existing: StudySummary,
): StudySummary {
  if (!loadIfExists) {
    throw new ConfigError('STUDY_EXISTS', `study ${name} already exists; load it or choose another name`, {
      study: name,
    });
  }
  if (existing.direction !== direction) {
    throw new ConfigError(
      'STUDY_DIRECTION_MISMATCH',
      `study ${name} exists with direction ${existing.direction}, was asked for ${direction}`,
      { study: name, stored: existing.direction, requested: direction },
    );
  }
  return existing;
}

/** StateError STUDY_NOT_FOUND. */
export function studyNotFound(studyId: number): StateError {
  return new StateError('STUDY_NOT_FOUND', `study storage has no study with study_id ${studyId}`, {
    studyId,
  });
}

/** key -> parsed value of attribute rows (`key`, `value_json`); keys like `__proto__` stay plain entries. */
export function decodeAttrRows(
  rows: readonly Row[],
  table: string,
  idColumn: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const attr of rows) {
    const ref = rowRef(table, attr, idColumn);
    Object.defineProperty(out, stringField(attr, ref, 'key'), {
      value: decodeAttrValue(stringField(attr, ref, 'value_json'), ref),
      enumerable: true,
    });
  }
  return out;
}
