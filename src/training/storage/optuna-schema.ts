// Optuna 3.1's RDB schema, as SQLAlchemy creates it for SQLite and for PostgreSQL, and the revision check on open.
import { ConfigError } from '../../core/errors.js';
import { TRIAL_STATES } from '../trial.js';
import type { Row } from './row-fields.js';
import { INTERMEDIATE_VALUE_TYPES, TRIAL_VALUE_TYPES } from './stored-values.js';

/** version_info.schema_version Optuna 3.0/3.1 write (optuna/storages/_rdb/models.py SCHEMA_VERSION). */
export const OPTUNA_SCHEMA_VERSION = 12;
/** version_info.library_version we write: the Optuna release whose schema we reproduce. */
export const OPTUNA_LIBRARY_VERSION = '3.1.0';
/** alembic_version.version_num of Optuna 3.1's head revision. */
export const OPTUNA_ALEMBIC_VERSION = 'v3.0.0.d';
/** Alembic revisions whose schema this module reads and writes unchanged. */
export const SUPPORTED_ALEMBIC_VERSIONS: readonly string[] = [OPTUNA_ALEMBIC_VERSION];

/** Optuna's Python enums stored in columns (optuna/storages/_rdb/models.py). */
interface OptunaEnum {
  /** SQLAlchemy's name for the type (lower-cased class name): PostgreSQL's native enum type. */
  readonly name: string;
  readonly values: readonly string[];
}
const STUDY_DIRECTION: OptunaEnum = { name: 'studydirection', values: ['NOT_SET', 'MINIMIZE', 'MAXIMIZE'] };
const TRIAL_STATE: OptunaEnum = { name: 'trialstate', values: TRIAL_STATES };
const TRIAL_VALUE_TYPE: OptunaEnum = { name: 'trialvaluetype', values: TRIAL_VALUE_TYPES };
const TRIAL_INTERMEDIATE_VALUE_TYPE: OptunaEnum = {
  name: 'trialintermediatevaluetype',
  values: INTERMEDIATE_VALUE_TYPES,
};
const ENUMS = [STUDY_DIRECTION, TRIAL_STATE, TRIAL_VALUE_TYPE, TRIAL_INTERMEDIATE_VALUE_TYPE];

/** What SQLAlchemy writes differently for the two databases; the tables are otherwise the same. */
interface DdlDialect {
  /** An autoincrementing integer primary key. */
  readonly serial: string;
  readonly float: string;
  readonly datetime: string;
  /** The attribute tables' `key` column (SQLite quotes the keyword). */
  readonly key: string;
  /** An enum column: SQLite's VARCHAR as long as the longest name, PostgreSQL's native type. */
  readonly enumType: (e: OptunaEnum) => string;
  /** Statements before the tables (PostgreSQL's enum types). */
  readonly preamble: readonly string[];
}

const SQLITE: DdlDialect = {
  serial: 'INTEGER',
  float: 'FLOAT',
  datetime: 'DATETIME',
  key: '"key"',
  enumType: (e) => `VARCHAR(${Math.max(...e.values.map((v) => v.length))})`,
  preamble: [],
};

const POSTGRES: DdlDialect = {
  serial: 'SERIAL',
  float: 'FLOAT(53)',
  datetime: 'TIMESTAMP WITHOUT TIME ZONE',
  key: 'key',
  enumType: (e) => e.name,
  preamble: ENUMS.map((e) => `CREATE TYPE ${e.name} AS ENUM (${e.values.map((v) => `'${v}'`).join(', ')})`),
};

/** `CREATE TABLE` text exactly as SQLAlchemy emits it (tab indent, ", \n" separators). */
const table = (name: string, lines: readonly string[]): string =>
  `CREATE TABLE ${name} (\n\t${lines.join(', \n\t')}\n)`;

/** The DDL in the order Optuna 3.1 creates it. */
function optunaDdl(d: DdlDialect): string[] {
  const attributeTable = (owner: 'study' | 'trial', kind: 'user' | 'system'): string =>
    table(`${owner}_${kind}_attributes`, [
      `${owner}_${kind}_attribute_id ${d.serial} NOT NULL`,
      `${owner}_id INTEGER`,
      `${d.key} VARCHAR(512)`,
      'value_json TEXT',
      `PRIMARY KEY (${owner}_${kind}_attribute_id)`,
      `UNIQUE (${owner}_id, ${d.key})`,
      `FOREIGN KEY(${owner}_id) REFERENCES ${owner === 'study' ? 'studies' : 'trials'} (${owner}_id)`,
    ]);
  /** A trial's objective or intermediate values: Optuna stores inf and NaN as NULL plus the value's type. */
  const valueTable = (prefix: '' | 'intermediate_', slot: 'objective' | 'step', type: OptunaEnum): string =>
    table(`trial_${prefix}values`, [
      `trial_${prefix}value_id ${d.serial} NOT NULL`,
      'trial_id INTEGER NOT NULL',
      `${slot} INTEGER NOT NULL`,
      `${prefix}value ${d.float}`,
      `${prefix}value_type ${d.enumType(type)} NOT NULL`,
      `PRIMARY KEY (trial_${prefix}value_id)`,
      `UNIQUE (trial_id, ${slot})`,
      'FOREIGN KEY(trial_id) REFERENCES trials (trial_id)',
    ]);
  return [
    ...d.preamble,
    table('studies', [
      `study_id ${d.serial} NOT NULL`,
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
      `study_direction_id ${d.serial} NOT NULL`,
      `direction ${d.enumType(STUDY_DIRECTION)} NOT NULL`,
      'study_id INTEGER NOT NULL',
      'objective INTEGER NOT NULL',
      'PRIMARY KEY (study_direction_id)',
      'UNIQUE (study_id, objective)',
      'FOREIGN KEY(study_id) REFERENCES studies (study_id)',
    ]),
    attributeTable('study', 'user'),
    attributeTable('study', 'system'),
    table('trials', [
      `trial_id ${d.serial} NOT NULL`,
      'number INTEGER',
      'study_id INTEGER',
      `state ${d.enumType(TRIAL_STATE)} NOT NULL`,
      `datetime_start ${d.datetime}`,
      `datetime_complete ${d.datetime}`,
      'PRIMARY KEY (trial_id)',
      'FOREIGN KEY(study_id) REFERENCES studies (study_id)',
    ]),
    attributeTable('trial', 'user'),
    attributeTable('trial', 'system'),
    table('trial_params', [
      `param_id ${d.serial} NOT NULL`,
      'trial_id INTEGER',
      'param_name VARCHAR(512)',
      `param_value ${d.float}`,
      'distribution_json TEXT',
      'PRIMARY KEY (param_id)',
      'UNIQUE (trial_id, param_name)',
      'FOREIGN KEY(trial_id) REFERENCES trials (trial_id)',
    ]),
    valueTable('', 'objective', TRIAL_VALUE_TYPE),
    valueTable('intermediate_', 'step', TRIAL_INTERMEDIATE_VALUE_TYPE),
    table('trial_heartbeats', [
      `trial_heartbeat_id ${d.serial} NOT NULL`,
      'trial_id INTEGER NOT NULL',
      `heartbeat ${d.datetime} NOT NULL`,
      'PRIMARY KEY (trial_heartbeat_id)',
      'UNIQUE (trial_id)',
      'FOREIGN KEY(trial_id) REFERENCES trials (trial_id)',
    ]),
    table('alembic_version', [
      'version_num VARCHAR(32) NOT NULL',
      'CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)',
    ]),
  ];
}

/** Optuna 3.1's DDL for SQLite; sqlite_master then holds exactly these texts. */
export const OPTUNA_DDL: readonly string[] = optunaDdl(SQLITE);

/**
 * The statements Optuna 3.1 (through SQLAlchemy 1.4 and psycopg2) runs on an empty PostgreSQL database,
 * in its order: four native enum types, the tables with SERIAL keys, then alembic's table. A test compares
 * `pg_dump --schema-only` of a database made by these with one made by Python Optuna.
 */
export const OPTUNA_POSTGRES_DDL: readonly string[] = optunaDdl(POSTGRES);

/**
 * Checks the rows of alembic_version: one row naming a supported revision. Throws ConfigError
 * STUDY_STORAGE_SCHEMA_UNSUPPORTED naming `location` and the revision found, with how to upgrade.
 */
export function checkAlembicVersion(rows: readonly Row[], location: string): void {
  const version = rows.length === 1 ? String(rows[0]!.version_num) : `${rows.length} rows`;
  if (!SUPPORTED_ALEMBIC_VERSIONS.includes(version)) {
    throw new ConfigError(
      'STUDY_STORAGE_SCHEMA_UNSUPPORTED',
      `${location} has Optuna schema revision ${version}; hybrid-trader reads and writes ${SUPPORTED_ALEMBIC_VERSIONS.join(', ')} ` +
        `(Optuna 3.0/3.1). An older study can be upgraded with \`optuna storage upgrade --storage <url>\` (Optuna 3.1).`,
      { location, version, supported: SUPPORTED_ALEMBIC_VERSIONS },
    );
  }
}
