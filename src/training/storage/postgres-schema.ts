// Optuna 3.1's RDB schema for PostgreSQL, as SQLAlchemy 1.4 creates it, and the version checks on open.
import { ConfigError } from '../../core/errors.js';
import {
  OPTUNA_ALEMBIC_VERSION,
  OPTUNA_LIBRARY_VERSION,
  OPTUNA_SCHEMA_VERSION,
  SUPPORTED_ALEMBIC_VERSIONS,
} from './optuna-schema.js';
import type { PgSession } from './postgres-driver.js';

/** `CREATE TABLE` text as SQLAlchemy emits it for PostgreSQL (tab indent, ", \n" separators). */
const table = (name: string, lines: readonly string[]): string =>
  `CREATE TABLE ${name} (\n\t${lines.join(', \n\t')}\n)`;

const attributeTable = (owner: 'study' | 'trial', kind: 'user' | 'system'): string =>
  table(`${owner}_${kind}_attributes`, [
    `${owner}_${kind}_attribute_id SERIAL NOT NULL`,
    `${owner}_id INTEGER`,
    'key VARCHAR(512)',
    'value_json TEXT',
    `PRIMARY KEY (${owner}_${kind}_attribute_id)`,
    `UNIQUE (${owner}_id, key)`,
    `FOREIGN KEY(${owner}_id) REFERENCES ${owner === 'study' ? 'studies' : 'trials'} (${owner}_id)`,
  ]);

/**
 * The statements Optuna 3.1 (through SQLAlchemy 1.4 and psycopg2) runs on an empty PostgreSQL database,
 * in its order: four native enum types, the tables with SERIAL keys, then alembic's table. A test compares
 * `pg_dump --schema-only` of a database made by these with one made by Python Optuna.
 */
export const OPTUNA_POSTGRES_DDL: readonly string[] = [
  "CREATE TYPE studydirection AS ENUM ('NOT_SET', 'MINIMIZE', 'MAXIMIZE')",
  "CREATE TYPE trialstate AS ENUM ('RUNNING', 'COMPLETE', 'PRUNED', 'FAIL', 'WAITING')",
  "CREATE TYPE trialvaluetype AS ENUM ('FINITE', 'INF_POS', 'INF_NEG')",
  "CREATE TYPE trialintermediatevaluetype AS ENUM ('FINITE', 'INF_POS', 'INF_NEG', 'NAN')",
  table('studies', [
    'study_id SERIAL NOT NULL',
    'study_name VARCHAR(512) NOT NULL',
    'PRIMARY KEY (study_id)',
  ]),
  'CREATE UNIQUE INDEX ix_studies_study_name ON studies (study_name)',
  table('version_info', [
    'version_info_id INTEGER NOT NULL',
    'schema_version INTEGER',
    'library_version VARCHAR(256)',
    'PRIMARY KEY (version_info_id)',
    'CHECK (version_info_id=1)',
  ]),
  table('study_directions', [
    'study_direction_id SERIAL NOT NULL',
    'direction studydirection NOT NULL',
    'study_id INTEGER NOT NULL',
    'objective INTEGER NOT NULL',
    'PRIMARY KEY (study_direction_id)',
    'UNIQUE (study_id, objective)',
    'FOREIGN KEY(study_id) REFERENCES studies (study_id)',
  ]),
  attributeTable('study', 'user'),
  attributeTable('study', 'system'),
  table('trials', [
    'trial_id SERIAL NOT NULL',
    'number INTEGER',
    'study_id INTEGER',
    'state trialstate NOT NULL',
    'datetime_start TIMESTAMP WITHOUT TIME ZONE',
    'datetime_complete TIMESTAMP WITHOUT TIME ZONE',
    'PRIMARY KEY (trial_id)',
    'FOREIGN KEY(study_id) REFERENCES studies (study_id)',
  ]),
  attributeTable('trial', 'user'),
  attributeTable('trial', 'system'),
  table('trial_params', [
    'param_id SERIAL NOT NULL',
    'trial_id INTEGER',
    'param_name VARCHAR(512)',
    'param_value FLOAT(53)',
    'distribution_json TEXT',
    'PRIMARY KEY (param_id)',
    'UNIQUE (trial_id, param_name)',
    'FOREIGN KEY(trial_id) REFERENCES trials (trial_id)',
  ]),
  table('trial_values', [
    'trial_value_id SERIAL NOT NULL',
    'trial_id INTEGER NOT NULL',
    'objective INTEGER NOT NULL',
    'value FLOAT(53)',
    'value_type trialvaluetype NOT NULL',
    'PRIMARY KEY (trial_value_id)',
    'UNIQUE (trial_id, objective)',
    'FOREIGN KEY(trial_id) REFERENCES trials (trial_id)',
  ]),
  table('trial_intermediate_values', [
    'trial_intermediate_value_id SERIAL NOT NULL',
    'trial_id INTEGER NOT NULL',
    'step INTEGER NOT NULL',
    'intermediate_value FLOAT(53)',
    'intermediate_value_type trialintermediatevaluetype NOT NULL',
    'PRIMARY KEY (trial_intermediate_value_id)',
    'UNIQUE (trial_id, step)',
    'FOREIGN KEY(trial_id) REFERENCES trials (trial_id)',
  ]),
  table('trial_heartbeats', [
    'trial_heartbeat_id SERIAL NOT NULL',
    'trial_id INTEGER NOT NULL',
    'heartbeat TIMESTAMP WITHOUT TIME ZONE NOT NULL',
    'PRIMARY KEY (trial_heartbeat_id)',
    'UNIQUE (trial_id)',
    'FOREIGN KEY(trial_id) REFERENCES trials (trial_id)',
  ]),
  table('alembic_version', [
    'version_num VARCHAR(32) NOT NULL',
    'CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)',
  ]),
];

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
  const versions = await session.query('SELECT version_num FROM alembic_version');
  const version = versions.length === 1 ? String(versions[0]!.version_num) : `${versions.length} rows`;
  if (!SUPPORTED_ALEMBIC_VERSIONS.includes(version)) {
    throw new ConfigError(
      'STUDY_STORAGE_SCHEMA_UNSUPPORTED',
      `${shown} has Optuna schema revision ${version}; hybrid-trader reads and writes ${SUPPORTED_ALEMBIC_VERSIONS.join(', ')} ` +
        `(Optuna 3.0/3.1). An older study can be upgraded with \`optuna storage upgrade --storage <url>\` (Optuna 3.1).`,
      { location: shown, version, supported: SUPPORTED_ALEMBIC_VERSIONS },
    );
  }
}
