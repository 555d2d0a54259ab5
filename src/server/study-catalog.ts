// Studies and trials for the API, read from the workspace's study storage (never created by a read).
import { existsSync } from 'node:fs';
import {
  maskStorageUrl,
  openSqliteStudyStorage,
  parseStorageUrl,
  type SyncStudyStorage,
} from '../training/storage/index.js';
import type { StudySummaryBody, TrialBody } from './api-schemas.js';

/** The default study storage of a workspace: `studies.db` under its root. */
export const DEFAULT_STORAGE_URL = 'sqlite:///studies.db';

/**
 * Runs `read` on the storage at `url` (relative paths under `root`), opened for this call only and closed
 * after it; answers `absent` without opening anything when the database file does not exist, so that a
 * read never creates one. Throws the storage's ConfigError/StateError for a file it cannot use.
 */
export function withStudyStorage<T>(
  root: string,
  url: string,
  absent: T,
  read: (storage: SyncStudyStorage) => T,
): T {
  const location = parseStorageUrl(url, root);
  if (location.kind === 'sqlite' && location.path !== ':memory:' && !existsSync(location.path)) return absent;
  const storage = openSqliteStudyStorage(url, { baseDir: root });
  try {
    return read(storage);
  } finally {
    storage.close();
  }
}

/** The storage's file for problem reports (the masked URL when it does not parse). */
export function storageFile(root: string, url: string): string {
  try {
    const location = parseStorageUrl(url, root);
    return location.kind === 'sqlite' ? location.path : location.shown;
  } catch {
    return maskStorageUrl(url);
  }
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** Every study with its trial counts and best COMPLETE trial (by its direction; ties: lowest number). */
export function listStudies(storage: SyncStudyStorage): StudySummaryBody[] {
  return storage.listStudies().map((study) => {
    const trials = storage.getTrials(study.studyId);
    let best: { number: number; value: number } | null = null;
    let complete = 0;
    for (const t of trials) {
      if (t.state !== 'COMPLETE') continue;
      complete++;
      // JSON has no Infinity: an infinite objective (Optuna allows it) is never shown as the best
      if (t.value === null || !Number.isFinite(t.value)) continue;
      const better =
        study.direction === 'maximize'
          ? t.value > (best?.value ?? -Infinity)
          : t.value < (best?.value ?? Infinity);
      if (best === null || better) best = { number: t.number, value: t.value };
    }
    return { name: study.name, direction: study.direction, trials: trials.length, complete, best };
  });
}

/** The trials of a study in number order, or null when there is no study of that name. */
export function studyTrials(storage: SyncStudyStorage, name: string): TrialBody[] | null {
  const study = storage.findStudy(name);
  if (study === null) return null;
  return storage.getTrials(study.studyId).map((t) => ({
    number: t.number,
    state: t.state,
    value: t.value !== null && Number.isFinite(t.value) ? t.value : null,
    datetimeStart: iso(t.datetimeStart),
    datetimeComplete: iso(t.datetimeComplete),
    params: { ...t.params },
  }));
}

/** COMPLETE trials per study name (the metrics endpoint). */
export function completedTrials(storage: SyncStudyStorage): Map<string, number> {
  const out = new Map<string, number>();
  for (const study of storage.listStudies())
    out.set(study.name, storage.getTrials(study.studyId, ['COMPLETE']).length);
  return out;
}
