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
  }

  /** Creates the study with its direction (objective 0), or loads it when `loadIfExists`. */
  create(name: string, direction: StudyDirection, loadIfExists: boolean): StudySummary {
    const existing = this.byName.get(name);
    if (existing !== undefined) {
      if (!loadIfExists) {
        throw new ConfigError(
          'STUDY_EXISTS',
          `study ${name} already exists; load it or choose another name`,
          {
            study: name,
          },
        );
      }
      const summary = this.summary(existing);
      if (summary.direction !== direction) {
        throw new ConfigError(
          'STUDY_DIRECTION_MISMATCH',
          `study ${name} exists with direction ${summary.direction}, was asked for ${direction}`,
          { study: name, stored: summary.direction, requested: direction },
        );
      }
      return summary;
    }
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
    if (this.byId.get(studyId) === undefined) {
      throw new StateError('STUDY_NOT_FOUND', `study storage has no study with study_id ${studyId}`, {
        studyId,
      });
    }
  }

  setUserAttr(studyId: number, key: string, value: unknown): void {
    this.requireExists(studyId);
    this.upsertUserAttr.run(studyId, key, encodeAttrValue(key, value));
  }

  /**
   * A study row with its direction and user attributes. A multi-objective study (written by Python) is
   * summarised by its first objective's direction; its trials are refused by the trial reader.
   */
  private summary(row: Row): StudySummary {
    const ref = rowRef('studies', row, 'study_id');
    const studyId = intField(row, ref, 'study_id');
    const name = stringField(row, ref, 'study_name');
    const first = this.directions.get(studyId);
    if (first === undefined)
      throw invalidRow(ref, 'study_directions', 'a direction row for objective 0', 'none');
    const directionRef = rowRef('study_directions', first, 'study_direction_id');
    const stored = enumField(first, directionRef, 'direction', STORED_DIRECTIONS);
    if (stored === 'NOT_SET') throw invalidRow(directionRef, 'direction', 'MINIMIZE or MAXIMIZE', stored);
    const userAttrs: Record<string, unknown> = {};
    for (const attr of this.userAttrs.all(studyId)) {
      const attrRef = rowRef('study_user_attributes', attr, 'study_user_attribute_id');
      Object.defineProperty(userAttrs, stringField(attr, attrRef, 'key'), {
        value: decodeAttrValue(stringField(attr, attrRef, 'value_json'), attrRef),
        enumerable: true,
      });
    }
    return { studyId, name, direction: stored === 'MAXIMIZE' ? 'maximize' : 'minimize', userAttrs };
  }
}
