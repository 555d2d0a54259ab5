// The study storage interface: what training and the deployer need from Optuna's RDB schema.
import type { Distribution, ParamValue } from '../distributions.js';
import type { FrozenTrial, TrialState } from '../trial.js';

export type StudyDirection = 'maximize' | 'minimize';

export interface StudySummary {
  readonly studyId: number;
  readonly name: string;
  readonly direction: StudyDirection;
  readonly userAttrs: Readonly<Record<string, unknown>>;
}

/**
 * Studies and trials in Optuna 3.x's RDB schema. Implementations must be safe for several processes on
 * one database: trial numbers are unique and gapless per study, and no call fails with "database is
 * locked" under normal contention (they wait and retry). All methods are synchronous.
 */
export interface StudyStorage {
  /** Creates the study, or returns the existing one when `loadIfExists`; throws if it exists otherwise. */
  createStudy(name: string, direction: StudyDirection, options?: { loadIfExists?: boolean }): StudySummary;
  /** The study, or null if there is none with that name. */
  findStudy(name: string): StudySummary | null;
  listStudies(): StudySummary[];
  setStudyUserAttr(studyId: number, key: string, value: unknown): void;

  /** A new RUNNING trial with the next number of the study (atomic across processes). */
  createTrial(studyId: number): { trialId: number; number: number };
  /** Records a sampled parameter; `value` is the external value (a categorical's choice). */
  setTrialParam(trialId: number, name: string, value: ParamValue, distribution: Distribution): void;
  setTrialIntermediateValue(trialId: number, step: number, value: number): void;
  setTrialUserAttr(trialId: number, key: string, value: unknown): void;
  setTrialSystemAttr(trialId: number, key: string, value: unknown): void;
  /** Ends a RUNNING trial: COMPLETE needs `value`; PRUNED may carry the last intermediate value; FAIL none. */
  finishTrial(
    trialId: number,
    state: Exclude<TrialState, 'RUNNING' | 'WAITING'>,
    value?: number | null,
  ): void;
  /** Records that the trial's worker is alive (trial_heartbeats). */
  recordHeartbeat(trialId: number): void;
  /** Marks RUNNING trials whose heartbeat is older than `graceSeconds` as FAIL; returns their numbers. */
  failStaleTrials(studyId: number, graceSeconds: number): number[];

  getTrial(trialId: number): FrozenTrial;
  /** Trials of the study ordered by number, optionally only those in `states`. */
  getTrials(studyId: number, states?: readonly TrialState[]): FrozenTrial[];

  close(): void;
}
