// The stream the lifecycle consumes: completed trials of a study, best first, with their model bundles.
import { isAbsolute, resolve } from 'node:path';
import type { StudyStorage } from './storage/index.js';

export interface RankedTrial {
  readonly study: string;
  readonly number: number;
  readonly trialId: number;
  /** Training score (the study's objective value). */
  readonly value: number;
  /** Absolute path of the model bundle (user attribute `model_path`, relative paths under `root`). */
  readonly modelPath: string;
  /** Epoch ms the trial completed, or null when the storage did not record it. */
  readonly completedAt: number | null;
  readonly params: Readonly<Record<string, unknown>>;
}

/**
 * COMPLETE trials of `studyName` that carry a `model_path`, ordered best first (by value for a maximised
 * study, ties by the earlier trial). Works on studies written by Python Optuna as well as by us. Returns
 * [] for an unknown study. `completedBefore` keeps only trials finished before that time (replays).
 */
export function rankedTrials(
  storage: StudyStorage,
  studyName: string,
  root: string,
  options: { completedBefore?: number } = {},
): RankedTrial[] {
  const study = storage.findStudy(studyName);
  if (!study) return [];
  const sign = study.direction === 'maximize' ? -1 : 1;
  return storage
    .getTrials(study.studyId, ['COMPLETE'])
    .filter((t) => typeof t.userAttrs.model_path === 'string' && t.value !== null && Number.isFinite(t.value))
    .filter(
      (t) => options.completedBefore === undefined || (t.datetimeComplete ?? 0) < options.completedBefore,
    )
    .map((t) => {
      const path = String(t.userAttrs.model_path);
      return {
        study: studyName,
        number: t.number,
        trialId: t.trialId,
        value: t.value!,
        modelPath: isAbsolute(path) ? path : resolve(root, path),
        completedAt: t.datetimeComplete,
        params: t.params,
      };
    })
    .sort((a, b) => sign * (a.value - b.value) || a.number - b.number);
}

/** COMPLETE trials with bundles of several studies, best first (ties by the earlier trial number). */
export function rankedTrialsOf(
  storage: StudyStorage,
  studies: readonly string[],
  root: string,
): RankedTrial[] {
  return studies
    .flatMap((s) => rankedTrials(storage, s, root))
    .sort((a, b) => b.value - a.value || a.number - b.number);
}
