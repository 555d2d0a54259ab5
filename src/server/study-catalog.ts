// Studies, trials and workers for the API, read from the workspace's study storage (SQLite or PostgreSQL; never
// created by a read).
import {
  DEFAULT_STORAGE_URL,
  maskStorageUrl,
  openStudyStorage,
  openStudyStorageIfExists,
  parseStorageUrl,
  type StudyStorage,
} from '../training/storage/index.js';
import { readAllWorkers, type WorkerView } from '../training/workers/worker-registry.js';
import type { StudySummaryBody, TrialBody, WorkerBody } from './api-schemas.js';

export { DEFAULT_STORAGE_URL };

/** How long a request waits for an unreachable PostgreSQL before it answers with the problem. */
const REQUEST_RETRY_MS = 3_000;

/**
 * The study storage of one server. A SQLite file is opened for each read and closed after it, and a read
 * answers `absent` without creating the file when it does not exist. A PostgreSQL database is opened once
 * (its pool keeps at most 2 connections, closed when idle) and shared by every request; a read that cannot
 * reach it fails after REQUEST_RETRY_MS with the storage's error, and the next read opens it again.
 */
export class StudyCatalog {
  private shared: Promise<StudyStorage> | null = null;

  constructor(
    private readonly root: string,
    readonly url: string,
  ) {}

  /** The storage's file (or masked URL) for problem reports; the masked URL when it does not parse. */
  get file(): string {
    try {
      const location = parseStorageUrl(this.url, this.root);
      return location.kind === 'sqlite' ? location.path : location.shown;
    } catch {
      return maskStorageUrl(this.url);
    }
  }

  /** Runs `read` on the storage; `absent` when it is a SQLite file that does not exist. Throws the storage's errors. */
  async read<T>(absent: T, read: (storage: StudyStorage) => Promise<T>): Promise<T> {
    if (parseStorageUrl(this.url, this.root).kind === 'sqlite') {
      const storage = await openStudyStorageIfExists(this.url, { baseDir: this.root });
      if (storage === null) return absent;
      try {
        return await read(storage);
      } finally {
        await storage.close();
      }
    }
    this.shared ??= openStudyStorage(this.url, {
      baseDir: this.root,
      retryForMs: REQUEST_RETRY_MS,
    }).catch((error: unknown) => {
      this.shared = null; // the next request tries again
      throw error;
    });
    return read(await this.shared);
  }

  async close(): Promise<void> {
    const shared = this.shared;
    this.shared = null;
    await shared?.then((s) => s.close()).catch(() => {});
  }
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** Every study with its trial counts and best COMPLETE trial (by its direction; ties: lowest number). */
export async function listStudies(storage: StudyStorage): Promise<StudySummaryBody[]> {
  const out: StudySummaryBody[] = [];
  for (const study of await storage.listStudies()) {
    const trials = await storage.getTrials(study.studyId);
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
    out.push({ name: study.name, direction: study.direction, trials: trials.length, complete, best });
  }
  return out;
}

/** The trials of a study in number order, or null when there is no study of that name. */
export async function studyTrials(storage: StudyStorage, name: string): Promise<TrialBody[] | null> {
  const study = await storage.findStudy(name);
  if (study === null) return null;
  return (await storage.getTrials(study.studyId)).map((t) => ({
    number: t.number,
    state: t.state,
    value: t.value !== null && Number.isFinite(t.value) ? t.value : null,
    datetimeStart: iso(t.datetimeStart),
    datetimeComplete: iso(t.datetimeComplete),
    params: { ...t.params },
    intermediateValues: [...t.intermediateValues]
      .sort((a, b) => a[0] - b[0])
      .map(([step, v]): [number, number | null] => [step, Number.isFinite(v) ? v : null]),
  }));
}

/** COMPLETE trials per study name (the metrics endpoint). */
export async function completedTrials(storage: StudyStorage): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const study of await storage.listStudies())
    out.set(study.name, (await storage.getTrials(study.studyId, ['COMPLETE'])).length);
  return out;
}

/** A worker as the API shows it. */
export function workerBody(w: WorkerView): WorkerBody {
  return {
    study: w.study,
    id: w.id,
    host: w.host,
    pid: w.pid,
    kind: w.kind,
    version: w.version,
    status: w.status,
    startedAt: w.startedAt,
    lastHeartbeatAt: w.lastSeenAt,
    lastHeartbeatAgeSeconds: w.lastSeenAgeS,
    trialsDone: w.trialsDone,
    complete: w.complete,
    pruned: w.pruned,
    failed: w.failed,
    running: [...w.running],
  };
}

/** The `worker` processes recorded in every study of the storage (studies trained by `train` have none). */
export async function studyWorkers(storage: StudyStorage, nowMs: number): Promise<WorkerBody[]> {
  return (await readAllWorkers(storage, nowMs)).map(workerBody);
}
