// Opens the study storage a URL names; the one place that maps URL schemes to implementations.
import { SqliteStudyStorage, type SqliteStudyStorageOptions } from './sqlite-study-storage.js';
import { parseStorageUrl } from './storage-url.js';
import { asyncStudyStorage, type StudyStorage } from './study-storage.js';

/** Options of {@link openStudyStorage}. */
export interface OpenStudyStorageOptions extends SqliteStudyStorageOptions {
  /** Directory that relative paths (`sqlite:///studies.db`, `studies.db`) resolve against. Default: cwd. */
  readonly baseDir?: string;
}

/**
 * Opens a study storage: `sqlite:///relative.db`, `sqlite:////absolute.db` or a plain file path
 * (SQLite in Optuna 3.1's schema, created when new). Throws ConfigError STORAGE_URL_UNSUPPORTED (naming
 * the URL, password masked) for other schemes, STORAGE_URL_INVALID, STUDY_STORAGE_OPEN_FAILED or
 * STUDY_STORAGE_SCHEMA_UNSUPPORTED.
 */
export async function openStudyStorage(
  url: string,
  options: OpenStudyStorageOptions = {},
): Promise<StudyStorage> {
  return asyncStudyStorage(openSqliteStudyStorage(url, options));
}

/**
 * Opens a SQLite study storage with its synchronous interface (for code that cannot wait, and tests).
 * Throws what {@link openStudyStorage} throws.
 */
export function openSqliteStudyStorage(
  url: string,
  options: OpenStudyStorageOptions = {},
): SqliteStudyStorage {
  const location = parseStorageUrl(url, options.baseDir);
  return SqliteStudyStorage.open(location.path, options);
}
