// The stream the lifecycle consumes: completed trials of a study, best first, with their model bundles.
import { fromWorkspacePath, toWorkspacePath } from '../core/workspace-path.js';
import type { StudyStorage, StudySummary, SyncStudyStorage } from './storage/index.js';
import type { FrozenTrial } from './trial.js';

export interface RankedTrial {
  readonly study: string;
  readonly number: number;
  readonly trialId: number;
  /** Training score (the study's objective value). */
  readonly value: number;
  /**
   * The model bundle's folder (user attribute `model_path`, relative paths under `root`), as state files
   * store it: relative to `root` when inside the workspace, else absolute (see toWorkspacePath).
   */
  readonly modelPath: string;
  /** Epoch ms the trial completed, or null when the storage did not record it. */
  readonly completedAt: number | null;
  readonly params: Readonly<Record<string, unknown>>;
  /**
   * The trial's user attribute `artifact` (where its bundle was published for other hosts), unchecked;
   * absent for trials whose bundle only exists on the host that trained them.
   */
  readonly artifact?: unknown;
}

/**
 * COMPLETE trials of `study` (from `trials`) that carry a `model_path`, ordered best first (by value for
 * a maximised study, ties by the earlier trial). Works on studies written by Python Optuna as well as by
 * us. `completedBefore` keeps only trials finished before that time (replays).
 */
export function rankCompletedTrials(
  study: StudySummary,
  trials: readonly FrozenTrial[],
  root: string,
  options: { completedBefore?: number } = {},
): RankedTrial[] {
  const sign = study.direction === 'maximize' ? -1 : 1;
  return trials
    .filter((t) => t.state === 'COMPLETE')
    .filter((t) => typeof t.userAttrs.model_path === 'string' && t.value !== null && Number.isFinite(t.value))
    .filter(
      (t) => options.completedBefore === undefined || (t.datetimeComplete ?? 0) < options.completedBefore,
    )
    .map((t) => {
      const path = String(t.userAttrs.model_path);
      return {
        study: study.name,
        number: t.number,
        trialId: t.trialId,
        value: t.value!,
        modelPath: toWorkspacePath(root, path),
        completedAt: t.datetimeComplete,
        params: t.params,
        ...(t.userAttrs.artifact === undefined ? {} : { artifact: t.userAttrs.artifact }),
      };
    })
    .sort((a, b) => sign * (a.value - b.value) || a.number - b.number);
}

/** {@link rankCompletedTrials} of the study named `studyName` in `storage`; [] for an unknown study. */
export async function rankedTrials(
  storage: StudyStorage,
  studyName: string,
  root: string,
  options: { completedBefore?: number } = {},
): Promise<RankedTrial[]> {
  const study = await storage.findStudy(studyName);
  if (!study) return [];
  return rankCompletedTrials(study, await storage.getTrials(study.studyId, ['COMPLETE']), root, options);
}

/** Ranked trials of several studies merged, best first (ties by the earlier trial number). */
export function mergeRanked(...perStudy: readonly (readonly RankedTrial[])[]): RankedTrial[] {
  return perStudy.flat().sort((a, b) => b.value - a.value || a.number - b.number);
}

/** COMPLETE trials with bundles of several studies, best first (ties by the earlier trial number). */
export async function rankedTrialsOf(
  storage: StudyStorage,
  studies: readonly string[],
  root: string,
): Promise<RankedTrial[]> {
  const perStudy: RankedTrial[][] = [];
  for (const s of studies) perStudy.push(await rankedTrials(storage, s, root));
  return mergeRanked(...perStudy);
}

/** {@link rankedTrialsOf} on a synchronous storage, for callers that cannot wait (a frame callback). */
export function rankedTrialsOfSync(
  storage: SyncStudyStorage,
  studies: readonly string[],
  root: string,
): RankedTrial[] {
  return mergeRanked(
    ...studies.map((name) => {
      const study = storage.findStudy(name);
      return study ? rankCompletedTrials(study, storage.getTrials(study.studyId, ['COMPLETE']), root) : [];
    }),
  );
}

/**
 * The same trials as a workspace at `toRoot` stores them (a comparison's or the demo's folder per mode,
 * inside the one holding the bundles): each bundle path re-based from `fromRoot` (see toWorkspacePath).
 */
export function rebaseTrials(
  trials: readonly RankedTrial[],
  fromRoot: string,
  toRoot: string,
): RankedTrial[] {
  return trials.map((t) => ({
    ...t,
    modelPath: toWorkspacePath(toRoot, fromWorkspacePath(fromRoot, t.modelPath)),
  }));
}
