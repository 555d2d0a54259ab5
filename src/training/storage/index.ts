// Public API of study storage: Optuna-compatible studies and trials behind a storage URL.
export {
  decodeDistribution,
  encodeDistribution,
  toExternalValue,
  toInternalValue,
} from './distribution-json.js';
export {
  type OpenStudyStorageOptions,
  openSqliteStudyStorage,
  openStudyStorage,
  openStudyStorageIfExists,
} from './open-study-storage.js';
export {
  OPTUNA_ALEMBIC_VERSION,
  OPTUNA_DDL,
  OPTUNA_LIBRARY_VERSION,
  OPTUNA_SCHEMA_VERSION,
} from './optuna-schema.js';
export { inspectSqliteFile } from './sqlite-driver.js';
export { SqliteStudyStorage, type SqliteStudyStorageOptions } from './sqlite-study-storage.js';
export {
  DEFAULT_STORAGE_URL,
  type StudyStorageConfig,
  StudyStorageConfigSchema,
} from './storage-config.js';
export { maskStorageUrl, parseStorageUrl, type StorageLocation } from './storage-url.js';
export {
  asyncStudyStorage,
  type CreatedTrial,
  type CreateTrialOptions,
  type FinishedState,
  type ParamWrite,
  type StudyDirection,
  type StudyStorage,
  type StudySummary,
  type SyncStudyStorage,
  type TrialUpdate,
} from './study-storage.js';
