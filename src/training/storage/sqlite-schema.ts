// Creates Optuna 3.1's schema in a new SQLite file, or checks an existing file's revision, on open.
import { ConfigError } from '../../core/errors.js';
import {
  checkAlembicVersion,
  OPTUNA_ALEMBIC_VERSION,
  OPTUNA_DDL,
  OPTUNA_LIBRARY_VERSION,
  OPTUNA_SCHEMA_VERSION,
} from './optuna-schema.js';
import type { SqliteDatabase } from './sqlite-driver.js';

/**
 * Creates Optuna's schema in an empty database, or checks an existing one: it must be an Optuna
 * database at a supported alembic revision. Runs in one BEGIN IMMEDIATE transaction so that two
 * processes opening a new file at once create it once. Throws ConfigError STUDY_STORAGE_SCHEMA_UNSUPPORTED.
 */
export function ensureOptunaSchema(db: SqliteDatabase, location: string): void {
  const countTables = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'");
  const hasAlembic = db.prepare(
    "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'",
  );
  db.transaction(() => {
    if (countTables.get()?.n === 0) {
      for (const ddl of OPTUNA_DDL) db.exec(ddl);
      db.prepare(
        'INSERT INTO version_info (version_info_id, schema_version, library_version) VALUES (1, ?, ?)',
      ).run(OPTUNA_SCHEMA_VERSION, OPTUNA_LIBRARY_VERSION);
      db.prepare('INSERT INTO alembic_version (version_num) VALUES (?)').run(OPTUNA_ALEMBIC_VERSION);
      return;
    }
    if (hasAlembic.get()?.n === 0) {
      throw new ConfigError(
        'STUDY_STORAGE_SCHEMA_UNSUPPORTED',
        `${location} is a SQLite database without Optuna's tables (no alembic_version); use another file`,
        { location },
      );
    }
    checkAlembicVersion(db.prepare('SELECT version_num FROM alembic_version').all(), location);
  }).immediate();
}
