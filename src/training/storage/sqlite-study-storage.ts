// StudyStorage on SQLite (better-sqlite3) in Optuna 3.1's schema: every write one BEGIN IMMEDIATE transaction with busy retry.
import { StateError } from '../../core/errors.js';
import type { Distribution, ParamValue } from '../distributions.js';
import type { FrozenTrial, TrialState } from '../trial.js';
import { ensureOptunaSchema } from './optuna-schema.js';
import { openSqlite, type SqliteDatabase, withBusyRetry } from './sqlite-driver.js';
import { StudyRows } from './study-rows.js';
import type { StudyDirection, StudyStorage, StudySummary } from './study-storage.js';
import { TrialReader } from './trial-reader.js';
import { type FinishedState, TrialWriter } from './trial-writer.js';

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
 * busy_timeout, and are retried as a whole when still locked; reads see one snapshot (WAL).
 */
export class SqliteStudyStorage implements StudyStorage {
  private readonly studies: StudyRows;
  private readonly writer: TrialWriter;
  private readonly reader: TrialReader;

  private constructor(
    private readonly db: SqliteDatabase,
    /** The database file (or `:memory:`). */
    readonly path: string,
    nowMs: () => number,
  ) {
    this.studies = new StudyRows(db);
    this.writer = new TrialWriter(db, nowMs);
    this.reader = new TrialReader(db);
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
    return withBusyRetry(what, () => this.db.transaction(fn).immediate());
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

  createTrial(studyId: number): { trialId: number; number: number } {
    return this.write(`create a trial in study ${studyId}`, () => {
      this.studies.requireExists(studyId);
      return this.writer.create(studyId);
    });
  }

  setTrialParam(trialId: number, name: string, value: ParamValue, distribution: Distribution): void {
    this.write(`set parameter ${name} of trial ${trialId}`, () =>
      this.writer.setParam(trialId, name, value, distribution),
    );
  }

  setTrialIntermediateValue(trialId: number, step: number, value: number): void {
    this.write(`report step ${step} of trial ${trialId}`, () =>
      this.writer.setIntermediateValue(trialId, step, value),
    );
  }

  setTrialUserAttr(trialId: number, key: string, value: unknown): void {
    this.write(`set user attribute ${key} of trial ${trialId}`, () =>
      this.writer.setAttr('user', trialId, key, value),
    );
  }

  setTrialSystemAttr(trialId: number, key: string, value: unknown): void {
    this.write(`set system attribute ${key} of trial ${trialId}`, () =>
      this.writer.setAttr('system', trialId, key, value),
    );
  }

  finishTrial(trialId: number, state: FinishedState, value?: number | null): void {
    this.write(`finish trial ${trialId} as ${state}`, () => this.writer.finish(trialId, state, value));
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
    if (trial === null) {
      throw new StateError('STUDY_TRIAL_NOT_FOUND', `study storage has no trial with trial_id ${trialId}`, {
        trialId,
      });
    }
    return trial;
  }

  getTrials(studyId: number, states?: readonly TrialState[]): FrozenTrial[] {
    return this.read(`read the trials of study ${studyId}`, () => {
      this.studies.requireExists(studyId);
      return this.reader.studyTrials(studyId, states);
    });
  }

  close(): void {
    this.db.close();
  }
}
