// Opens the study storage a URL names; the one place that maps URL schemes to implementations.
import { existsSync } from 'node:fs';
import { ConfigError } from '../../core/errors.js';
import type { PostgresStudyStorageOptions } from './postgres-study-storage.js';
import { SqliteStudyStorage, type SqliteStudyStorageOptions } from './sqlite-study-storage.js';
import { parseStorageUrl } from './storage-url.js';
import { asyncStudyStorage, type StudyStorage } from './study-storage.js';

/** Options of {@link openStudyStorage}. */
export interface OpenStudyStorageOptions extends SqliteStudyStorageOptions, PostgresStudyStorageOptions {
  /** Directory that relative paths (`sqlite:///studies.db`, `studies.db`) resolve against. Default: cwd. */
  readonly baseDir?: string;
}

/**
 * Opens a study storage: `sqlite:///relative.db`, `sqlite:////absolute.db` or a plain file path
 * (SQLite in Optuna 3.1's schema, created when new), or `postgresql://user:password@host:port/database`
 * (Optuna's schema created in a database without it). Throws ConfigError STORAGE_URL_UNSUPPORTED (naming
 * the URL, password masked) for other schemes, STORAGE_URL_INVALID, STUDY_STORAGE_OPEN_FAILED or
 * STUDY_STORAGE_SCHEMA_UNSUPPORTED, and HybridTraderError STUDY_STORAGE_UNAVAILABLE for a PostgreSQL
 * server that stays unreachable.
 */
export async function openStudyStorage(
  url: string,
  options: OpenStudyStorageOptions = {},
): Promise<StudyStorage> {
  const location = parseStorageUrl(url, options.baseDir);
  if (location.kind === 'sqlite') return asyncStudyStorage(SqliteStudyStorage.open(location.path, options));
  // Loaded only when used: SQLite workspaces never load the PostgreSQL client.
  const { PostgresStudyStorage } = await import('./postgres-study-storage.js');
  return PostgresStudyStorage.open(location.url, location.shown, options);
}

/**
 * Opens the storage for reading only when it exists: null for a SQLite file that is not there (reading
 * never creates one). A PostgreSQL database is opened as {@link openStudyStorage} does (Optuna's schema is
 * created in a database without it, as any participant of the study would). Throws what it throws.
 */
export async function openStudyStorageIfExists(
  url: string,
  options: OpenStudyStorageOptions = {},
): Promise<StudyStorage | null> {
  const location = parseStorageUrl(url, options.baseDir);
  if (location.kind === 'sqlite' && location.path !== ':memory:' && !existsSync(location.path)) return null;
  return openStudyStorage(url, options);
}

/**
 * Opens a SQLite study storage with its synchronous interface (for code that cannot wait, and tests).
 * Throws what {@link openStudyStorage} throws, and ConfigError STORAGE_URL_NEEDS_ASYNC for a PostgreSQL URL.
 */
export function openSqliteStudyStorage(
  url: string,
  options: OpenStudyStorageOptions = {},
): SqliteStudyStorage {
  const location = parseStorageUrl(url, options.baseDir);
  if (location.kind !== 'sqlite') {
    throw new ConfigError(
      'STORAGE_URL_NEEDS_ASYNC',
      `${location.shown} is a PostgreSQL storage; this reader supports SQLite only so far`,
      { url: location.shown },
    );
  }
  return SqliteStudyStorage.open(location.path, options);
}
