// Optuna 3.1's RDB schema for SQLite, byte for byte as SQLAlchemy creates it, and the version checks on open.
import { ConfigError } from '../../core/errors.js';
import type { SqliteDatabase } from './sqlite-driver.js';

/** version_info.schema_version Optuna 3.0/3.1 write (optuna/storages/_rdb/models.py SCHEMA_VERSION). */
export const OPTUNA_SCHEMA_VERSION = 12;
/** version_info.library_version we write: the Optuna release whose schema we reproduce. */
export const OPTUNA_LIBRARY_VERSION = '3.1.0';
/** alembic_version.version_num of Optuna 3.1's head revision. */
export const OPTUNA_ALEMBIC_VERSION = 'v3.0.0.d';
/** Alembic revisions whose schema this module reads and writes unchanged. */
export const SUPPORTED_ALEMBIC_VERSIONS: readonly string[] = [OPTUNA_ALEMBIC_VERSION];

/** `CREATE TABLE` text exactly as SQLAlchemy emits it (tab indent, ", \n" separators). */
const table = (name: string, lines: readonly string[]): string =>
  `CREATE TABLE ${name} (\n\t${lines.join(', \n\t')}\n)`;

const attributeTable = (owner: 'study' | 'trial', kind: 'user' | 'system'): string =>
  table(`${owner}_${kind}_attributes`, [
    `${owner}_${kind}_attribute_id INTEGER NOT NULL`,
    `${owner}_id INTEGER`,
    '"key" VARCHAR(512)',
    'value_json TEXT',
    `PRIMARY KEY (${owner}_${kind}_attribute_id)`,
    `UNIQUE (${owner}_id, "key")`,
    `FOREIGN KEY(${owner}_id) REFERENCES ${owner === 'study' ? 'studies' : 'trials'} (${owner}_id)`,
  ]);

/** The DDL in the order Optuna 3.1 creates it; sqlite_master then holds exactly these texts. */
export const OPTUNA_DDL: readonly string[] = [
  table('studies', [
    'study_id INTEGER NOT NULL',
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
    'study_direction_id INTEGER NOT NULL',
    'direction VARCHAR(8) NOT NULL',
    'study_id INTEGER NOT NULL',
    'objective INTEGER NOT NULL',
    'PRIMARY KEY (study_direction_id)',
    'UNIQUE (study_id, objective)',
    'FOREIGN KEY(study_id) REFERENCES studies (study_id)',
  ]),
  attributeTable('study', 'user'),
  attributeTable('study', 'system'),
  table('trials', [
    'trial_id INTEGER NOT NULL',
    'number INTEGER',
    'study_id INTEGER',
    'state VARCHAR(8) NOT NULL',
    'datetime_start DATETIME',
    'datetime_complete DATETIME',
    'PRIMARY KEY (trial_id)',
    'FOREIGN KEY(study_id) REFERENCES studies (study_id)',
  ]),
  attributeTable('trial', 'user'),
  attributeTable('trial', 'system'),
  table('trial_params', [
    'param_id INTEGER NOT NULL',
    'trial_id INTEGER',
    'param_name VARCHAR(512)',
    'param_value FLOAT',
    'distribution_json TEXT',
    'PRIMARY KEY (param_id)',
    'UNIQUE (trial_id, param_name)',
    'FOREIGN KEY(trial_id) REFERENCES trials (trial_id)',
  ]),
  table('trial_values', [
    'trial_value_id INTEGER NOT NULL',
    'trial_id INTEGER NOT NULL',
    'objective INTEGER NOT NULL',
    'value FLOAT',
    'value_type VARCHAR(7) NOT NULL',
    'PRIMARY KEY (trial_value_id)',
    'UNIQUE (trial_id, objective)',
    'FOREIGN KEY(trial_id) REFERENCES trials (trial_id)',
  ]),
  table('trial_intermediate_values', [
    'trial_intermediate_value_id INTEGER NOT NULL',
    'trial_id INTEGER NOT NULL',
    'step INTEGER NOT NULL',
    'intermediate_value FLOAT',
    'intermediate_value_type VARCHAR(7) NOT NULL',
    'PRIMARY KEY (trial_intermediate_value_id)',
    'UNIQUE (trial_id, step)',
    'FOREIGN KEY(trial_id) REFERENCES trials (trial_id)',
  ]),
  table('trial_heartbeats', [
    'trial_heartbeat_id INTEGER NOT NULL',
    'trial_id INTEGER NOT NULL',
    'heartbeat DATETIME NOT NULL',
    'PRIMARY KEY (trial_heartbeat_id)',
    'UNIQUE (trial_id)',
    'FOREIGN KEY(trial_id) REFERENCES trials (trial_id)',
  ]),
  table('alembic_version', [
    'version_num VARCHAR(32) NOT NULL',
    'CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)',
  ]),
];

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
    const versions = db.prepare('SELECT version_num FROM alembic_version').all();
    const version = versions.length === 1 ? String(versions[0].version_num) : `${versions.length} rows`;
    if (!SUPPORTED_ALEMBIC_VERSIONS.includes(version)) {
      throw new ConfigError(
        'STUDY_STORAGE_SCHEMA_UNSUPPORTED',
        `${location} has Optuna schema revision ${version}; hybrid-trader reads and writes ${SUPPORTED_ALEMBIC_VERSIONS.join(', ')} ` +
          `(Optuna 3.0/3.1). An older study can be upgraded with \`optuna storage upgrade --storage <url>\` (Optuna 3.1).`,
        { location, version, supported: SUPPORTED_ALEMBIC_VERSIONS },
      );
    }
  }).immediate();
}
