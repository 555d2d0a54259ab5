// Creates Optuna 3.1's schema in a PostgreSQL database without it, or checks an existing one, on open.
import { ConfigError } from '../../core/errors.js';
import {
  checkAlembicVersion,
  OPTUNA_ALEMBIC_VERSION,
  OPTUNA_LIBRARY_VERSION,
  OPTUNA_POSTGRES_DDL,
  OPTUNA_SCHEMA_VERSION,
} from './optuna-schema.js';
import type { PgSession } from './postgres-driver.js';

/** Optuna's tables: a database holding some but not all of them is not one we touch. */
const OPTUNA_TABLES = [
  'studies',
  'version_info',
  'study_directions',
  'study_user_attributes',
  'study_system_attributes',
  'trials',
  'trial_user_attributes',
  'trial_system_attributes',
  'trial_params',
  'trial_values',
  'trial_intermediate_values',
  'trial_heartbeats',
  'alembic_version',
];

/** Key of the advisory lock that serialises schema creation by several processes opening one new database. */
const SCHEMA_LOCK_KEY = 0x6f70_7475; // "optu"

/**
 * Creates Optuna's schema in a database without its tables, or checks an existing one: every Optuna table
 * present, at a supported alembic revision. Runs in one transaction holding an advisory lock, so that
 * several processes opening a new database at once create it once. Other tables (ours, the user's) are
 * left alone. Throws ConfigError STUDY_STORAGE_SCHEMA_UNSUPPORTED naming the database.
 */
export async function ensurePostgresSchema(session: PgSession, shown: string): Promise<void> {
  await session.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK_KEY]);
  const present = new Set(
    (
      await session.query(
        'SELECT c.relname FROM pg_class c WHERE pg_catalog.pg_table_is_visible(c.oid) AND c.relkind = $1 AND c.relname = ANY($2::text[])',
        ['r', OPTUNA_TABLES],
      )
    ).map((row) => String(row.relname)),
  );
  if (present.size === 0) {
    for (const ddl of OPTUNA_POSTGRES_DDL) await session.query(ddl);
    await session.query(
      'INSERT INTO version_info (version_info_id, schema_version, library_version) VALUES (1, $1, $2)',
      [OPTUNA_SCHEMA_VERSION, OPTUNA_LIBRARY_VERSION],
    );
    await session.query('INSERT INTO alembic_version (version_num) VALUES ($1)', [OPTUNA_ALEMBIC_VERSION]);
    return;
  }
  const missing = OPTUNA_TABLES.filter((t) => !present.has(t));
  if (missing.length > 0) {
    throw new ConfigError(
      'STUDY_STORAGE_SCHEMA_UNSUPPORTED',
      `${shown} holds some of Optuna's tables but not ${missing.join(', ')}; use an empty database or one Optuna created`,
      { location: shown, missing },
    );
  }
  checkAlembicVersion(await session.query('SELECT version_num FROM alembic_version'), shown);
}
