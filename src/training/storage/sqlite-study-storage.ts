// StudyStorage on SQLite (better-sqlite3) in Optuna 3.1's schema: every write one BEGIN IMMEDIATE transaction with busy retry.
import { durable } from '../../state/index.js';
import type { Distribution, ParamValue } from '../distributions.js';
import type { FrozenTrial, TrialState } from '../trial.js';
import { FinishedTrialCache } from './finished-trial-cache.js';
import { openSqlite, type SqliteDatabase, withBusyRetry } from './sqlite-driver.js';
import { ensureOptunaSchema } from './sqlite-schema.js';
import { SqliteTrialReader } from './sqlite-trial-reader.js';
import { StudyRows } from './study-rows.js';
import type {
  CreatedTrial,
  CreateTrialOptions,
  FinishedState,
  StudyDirection,
  StudySummary,
  SyncStudyStorage,
  TrialUpdate,
} from './study-storage.js';
import { trialNotFound } from './trial-checks.js';
import { TrialWriter } from './trial-writer.js';

/** Options of {@link SqliteStudyStorage.open}. */
export interface SqliteStudyStorageOptions {
  /** SQLite busy_timeout: how long one attempt waits for another process's lock. Default 10 000 ms. */
  readonly busyTimeoutMs?: number;
  /** Clock for datetime_start/datetime_complete (epoch ms). Default Date.now. */
  readonly nowMs?: () => number;
}

/**
 * Studies and trials in a SQLite file that Python Optuna 3.1 and optuna-dashboard open as their own.
 * Safe for several processes: writes take the database write lock at BEGIN (IMMEDIATE), wait up to
 * busy_timeout, and are retried as a whole when still locked; reads see one snapshot (WAL). Synchronous
 * (better-sqlite3); `asyncStudyStorage` gives it the StudyStorage interface.
 */
export class SqliteStudyStorage implements SyncStudyStorage {
  private readonly studies: StudyRows;
  private readonly writer: TrialWriter;
  private readonly reader: SqliteTrialReader;
  private readonly cache = new FinishedTrialCache();

  private constructor(
    private readonly db: SqliteDatabase,
    /** The database file (or `:memory:`). */
    readonly path: string,
    nowMs: () => number,
  ) {
    this.studies = new StudyRows(db);
    this.writer = new TrialWriter(db, nowMs);
    this.reader = new SqliteTrialReader(db);
  }

  /**
   * Opens the file (creating it, its folder and Optuna's schema when new). Throws ConfigError
   * STUDY_STORAGE_OPEN_FAILED or STUDY_STORAGE_SCHEMA_UNSUPPORTED naming the path.
   */
  static open(path: string, options: SqliteStudyStorageOptions = {}): SqliteStudyStorage {
    const db = openSqlite(path, { busyTimeoutMs: options.busyTimeoutMs });
    try {
      withBusyRetry(`create the schema of ${path}`, () => ensureOptunaSchema(db, path));
      return new SqliteStudyStorage(db, path, options.nowMs ?? Date.now);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  /** Runs `fn` in a BEGIN IMMEDIATE transaction, retried as a whole while the database stays busy. */
  private write<T>(what: string, fn: () => T): T {
    // one durable operation (a crash point; a full or read-only disk is a named error)
    return durable.dbWrite(`${this.path}: ${what}`, () =>
      withBusyRetry(what, () => this.db.transaction(fn).immediate()),
    );
  }

  /** Runs reads in one deferred transaction: one consistent snapshot. */
  private read<T>(what: string, fn: () => T): T {
    return withBusyRetry(what, () => this.db.transaction(fn)());
  }

  createStudy(
    name: string,
    direction: StudyDirection,
    options: { loadIfExists?: boolean } = {},
  ): StudySummary {
    return this.write(`create study ${name}`, () =>
      this.studies.create(name, direction, options.loadIfExists ?? false),
    );
  }

  findStudy(name: string): StudySummary | null {
    return this.read(`read study ${name}`, () => this.studies.find(name));
  }

  listStudies(): StudySummary[] {
    return this.read('list studies', () => this.studies.list());
  }

  setStudyUserAttr(studyId: number, key: string, value: unknown): void {
    this.write(`set user attribute ${key} of study ${studyId}`, () =>
      this.studies.setUserAttr(studyId, key, value),
    );
  }

  setStudySystemAttr(studyId: number, key: string, value: unknown): void {
    this.write(`set system attribute ${key} of study ${studyId}`, () =>
      this.studies.setSystemAttr(studyId, key, value),
    );
  }

  getStudySystemAttrs(studyId: number): Record<string, unknown> {
    return this.read(`read the system attributes of study ${studyId}`, () =>
      this.studies.getSystemAttrs(studyId),
    );
  }

  createTrial(studyId: number, options: CreateTrialOptions = {}): CreatedTrial {
    return this.write(`create a trial in study ${studyId}`, () => {
      this.studies.requireExists(studyId);
      return this.writer.create(studyId, options);
    });
  }

  updateTrial(trialId: number, update: TrialUpdate): void {
    this.write(`update trial ${trialId}`, () => this.writer.update(trialId, update));
  }

  /** Records a sampled parameter; `value` is the external value (a categorical's choice). */
  setTrialParam(trialId: number, name: string, value: ParamValue, distribution: Distribution): void {
    this.write(`set parameter ${name} of trial ${trialId}`, () =>
      this.writer.update(trialId, { params: [{ name, value, distribution }] }),
    );
  }

  setTrialIntermediateValue(trialId: number, step: number, value: number): void {
    this.write(`report step ${step} of trial ${trialId}`, () =>
      this.writer.update(trialId, { intermediateValues: [{ step, value }] }),
    );
  }

  setTrialUserAttr(trialId: number, key: string, value: unknown): void {
    this.write(`set user attribute ${key} of trial ${trialId}`, () =>
      this.writer.update(trialId, { userAttrs: { [key]: value } }),
    );
  }

  setTrialSystemAttr(trialId: number, key: string, value: unknown): void {
    this.write(`set system attribute ${key} of trial ${trialId}`, () =>
      this.writer.update(trialId, { systemAttrs: { [key]: value } }),
    );
  }

  /** Ends a RUNNING trial: COMPLETE needs `value`; PRUNED may carry the last intermediate value; FAIL none. */
  finishTrial(trialId: number, state: FinishedState, value?: number | null): void {
    this.write(`finish trial ${trialId} as ${state}`, () =>
      this.writer.update(trialId, { finish: { state, value } }),
    );
  }

  recordHeartbeat(trialId: number): void {
    this.write(`record the heartbeat of trial ${trialId}`, () => this.writer.heartbeat(trialId));
  }

  failStaleTrials(studyId: number, graceSeconds: number): number[] {
    return this.write(`fail stale trials of study ${studyId}`, () =>
      this.writer.failStale(studyId, graceSeconds),
    );
  }

  getTrial(trialId: number): FrozenTrial {
    const trial = this.read(`read trial ${trialId}`, () => this.reader.trial(trialId));
    if (trial === null) throw trialNotFound(trialId);
    return trial;
  }

  /** Trials of the study ordered by number; finished ones come from the cache after the first read. */
  getTrials(studyId: number, states?: readonly TrialState[]): FrozenTrial[] {
    const fresh = this.read(`read the trials of study ${studyId}`, () => {
      this.studies.requireExists(studyId);
      return this.reader.studyTrials(studyId, this.cache.scope(studyId));
    });
    return this.cache.merge(studyId, fresh, states);
  }

  close(): void {
    this.db.close();
  }
}
