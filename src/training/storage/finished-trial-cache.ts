// Keeps the finished trials of each study once read, so later reads fetch only new and running trials.
import { type FrozenTrial, TRIAL_STATES, type TrialState } from '../trial.js';

/** Which trials a refresh must read: those with trial_id > `afterId`, plus the known unfinished `ids`. */
export interface TrialScope {
  readonly afterId: number;
  readonly ids: readonly number[];
}

interface StudyCache {
  readonly finished: Map<number, FrozenTrial>;
  unfinished: Map<number, FrozenTrial>;
  afterId: number;
}

const isFinished = (state: TrialState): boolean => state !== 'RUNNING' && state !== 'WAITING';

/**
 * Finished trials never change (Optuna refuses writes to them), and trial ids of one study grow in the
 * order trials are created (creation holds the study's lock), so a reader that remembers the largest id
 * seen and the ids still running re-reads only those plus newer ones, as Optuna's `_CachedStorage` does.
 * Pure: the caller reads the rows and passes them in.
 */
export class FinishedTrialCache {
  private readonly studies = new Map<number, StudyCache>();

  /** The trials a read of `studyId` must fetch. */
  scope(studyId: number): TrialScope {
    const cache = this.studies.get(studyId);
    return cache === undefined
      ? { afterId: 0, ids: [] }
      : { afterId: cache.afterId, ids: [...cache.unfinished.keys()] };
  }

  /**
   * Merges the trials read for {@link scope} and returns all trials of the study, ordered by number
   * (then trial id), only those in `states` when given. A known running trial missing from `fresh` was
   * deleted and is dropped.
   */
  merge(studyId: number, fresh: readonly FrozenTrial[], states?: readonly TrialState[]): FrozenTrial[] {
    let cache = this.studies.get(studyId);
    if (cache === undefined) {
      cache = { finished: new Map(), unfinished: new Map(), afterId: 0 };
      this.studies.set(studyId, cache);
    }
    const unfinished = new Map<number, FrozenTrial>();
    for (const trial of fresh) {
      cache.afterId = Math.max(cache.afterId, trial.trialId);
      if (isFinished(trial.state)) cache.finished.set(trial.trialId, trial);
      else unfinished.set(trial.trialId, trial);
    }
    cache.unfinished = unfinished;
    const wanted = new Set<TrialState>(states ?? TRIAL_STATES);
    const out: FrozenTrial[] = [];
    for (const trial of cache.finished.values()) if (wanted.has(trial.state)) out.push(trial);
    for (const trial of cache.unfinished.values()) if (wanted.has(trial.state)) out.push(trial);
    return out.sort((a, b) => a.number - b.number || a.trialId - b.trialId);
  }

  /** Forgets a study (e.g. after the connection changed databases). */
  forget(studyId: number): void {
    this.studies.delete(studyId);
  }
}
