// The study storage interface: what training, workers and the deployer need from Optuna's RDB schema.
import type { Distribution, ParamValue } from '../distributions.js';
import type { FrozenTrial, TrialState } from '../trial.js';

export type StudyDirection = 'maximize' | 'minimize';

/** States a trial ends in. */
export type FinishedState = Exclude<TrialState, 'RUNNING' | 'WAITING'>;

export interface StudySummary {
  readonly studyId: number;
  readonly name: string;
  readonly direction: StudyDirection;
  readonly userAttrs: Readonly<Record<string, unknown>>;
}

/** A trial just created by {@link StudyStorage.createTrial}. */
export interface CreatedTrial {
  readonly trialId: number;
  readonly number: number;
}

export interface CreateTrialOptions {
  /** Record the trial's first heartbeat in the same transaction (a worker that dies at once is still found). */
  readonly heartbeat?: boolean;
  /** System attributes written with the trial (e.g. which worker runs it). */
  readonly systemAttrs?: Readonly<Record<string, unknown>>;
}

/** A sampled parameter: `value` is the external value (a categorical's choice). */
export interface ParamWrite {
  readonly name: string;
  readonly value: ParamValue;
  readonly distribution: Distribution;
}

/**
 * Writes to one RUNNING trial, applied in one transaction in this order: parameters, intermediate
 * values, user attributes, system attributes, then the end of the trial. Nothing is written when any
 * check fails (Optuna's checks: valid and compatible distributions, values inside them, JSON attributes,
 * a trial still running).
 */
export interface TrialUpdate {
  readonly params?: readonly ParamWrite[];
  readonly intermediateValues?: readonly { readonly step: number; readonly value: number }[];
  readonly userAttrs?: Readonly<Record<string, unknown>>;
  readonly systemAttrs?: Readonly<Record<string, unknown>>;
  /** Ends the trial: COMPLETE needs `value`; PRUNED may carry the last intermediate value; FAIL none. */
  readonly finish?: { readonly state: FinishedState; readonly value?: number | null };
}

/**
 * Studies and trials in Optuna 3.x's RDB schema (SQLite or PostgreSQL). Implementations are safe for
 * several processes on one database: trial numbers are unique and gapless per study, and no call fails
 * under normal contention (locks are waited for, transient failures retried). Every method returns a
 * promise because a network database needs it; SQLite answers synchronously inside.
 *
 * Finished trials never change (Optuna refuses writes to them), so implementations may cache them: a
 * `getTrials` after the first reads only trials that were new or still running.
 */
export interface StudyStorage {
  /** Creates the study, or returns the existing one when `loadIfExists`; throws if it exists otherwise. */
  createStudy(
    name: string,
    direction: StudyDirection,
    options?: { loadIfExists?: boolean },
  ): Promise<StudySummary>;
  /** The study, or null if there is none with that name. */
  findStudy(name: string): Promise<StudySummary | null>;
  listStudies(): Promise<StudySummary[]>;
  setStudyUserAttr(studyId: number, key: string, value: unknown): Promise<void>;
  /** Sets (or with `undefined`, deletes) a study system attribute (study_system_attributes). */
  setStudySystemAttr(studyId: number, key: string, value: unknown): Promise<void>;
  /** The study's system attributes, key -> parsed value. */
  getStudySystemAttrs(studyId: number): Promise<Record<string, unknown>>;

  /** A new RUNNING trial with the next number of the study (atomic across processes). */
  createTrial(studyId: number, options?: CreateTrialOptions): Promise<CreatedTrial>;
  /** Applies `update` to a RUNNING trial in one transaction (see {@link TrialUpdate}). */
  updateTrial(trialId: number, update: TrialUpdate): Promise<void>;
  /** Records that the trial's worker is alive (trial_heartbeats, the database's clock). */
  recordHeartbeat(trialId: number): Promise<void>;
  /** Marks RUNNING trials whose heartbeat is older than `graceSeconds` as FAIL; returns their numbers. */
  failStaleTrials(studyId: number, graceSeconds: number): Promise<number[]>;

  getTrial(trialId: number): Promise<FrozenTrial>;
  /** Trials of the study ordered by number, optionally only those in `states`. */
  getTrials(studyId: number, states?: readonly TrialState[]): Promise<FrozenTrial[]>;

  close(): Promise<void>;
}

/** The same methods answered synchronously: what embedded databases (SQLite, memory) implement. */
export type SyncStudyStorage = {
  readonly [K in keyof StudyStorage]: StudyStorage[K] extends (...args: infer A) => Promise<infer R>
    ? (...args: A) => R
    : never;
};

/**
 * The asynchronous interface over a synchronous storage. Each call runs synchronously when made (so
 * call order is write order, as before) and its result or error arrives as a settled promise.
 */
export function asyncStudyStorage(storage: SyncStudyStorage): StudyStorage {
  const lift =
    <A extends unknown[], R>(fn: (...args: A) => R) =>
    (...args: A): Promise<R> => {
      try {
        return Promise.resolve(fn(...args));
      } catch (error) {
        return Promise.reject(error);
      }
    };
  return {
    createStudy: lift(storage.createStudy.bind(storage)),
    findStudy: lift(storage.findStudy.bind(storage)),
    listStudies: lift(storage.listStudies.bind(storage)),
    setStudyUserAttr: lift(storage.setStudyUserAttr.bind(storage)),
    setStudySystemAttr: lift(storage.setStudySystemAttr.bind(storage)),
    getStudySystemAttrs: lift(storage.getStudySystemAttrs.bind(storage)),
    createTrial: lift(storage.createTrial.bind(storage)),
    updateTrial: lift(storage.updateTrial.bind(storage)),
    recordHeartbeat: lift(storage.recordHeartbeat.bind(storage)),
    failStaleTrials: lift(storage.failStaleTrials.bind(storage)),
    getTrial: lift(storage.getTrial.bind(storage)),
    getTrials: lift(storage.getTrials.bind(storage)),
    close: lift(storage.close.bind(storage)),
  };
}
