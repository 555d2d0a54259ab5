// Which `worker` processes run a study: one record per worker in the study's system attributes, in Optuna's schema.
import { z } from 'zod';
import type { StudyStorage } from '../storage/index.js';

/** Study system attribute key prefix of worker records: `hybrid_trader:worker:<id>`. */
export const WORKER_ATTR_PREFIX = 'hybrid_trader:worker:';
/** Trial system attribute naming the worker that runs the trial. */
export const WORKER_TRIAL_ATTR = 'hybrid_trader:worker';

/** What a worker says about itself, refreshed every heartbeat interval. Times are ISO strings of the worker's clock. */
export const WorkerRecordSchema = z.object({
  id: z.string().min(1),
  host: z.string(),
  pid: z.number().int(),
  kind: z.string(),
  version: z.string(),
  startedAt: z.string(),
  /** The worker's last heartbeat. */
  lastSeenAt: z.string(),
  /** Seconds between its heartbeats; a worker silent for several of them is lost. */
  heartbeatIntervalS: z.number().positive(),
  state: z.enum(['running', 'stopping', 'stopped']),
  complete: z.number().int().min(0),
  pruned: z.number().int().min(0),
  failed: z.number().int().min(0),
  /** Numbers of the trials it runs now. */
  running: z.array(z.number().int()),
});
export type WorkerRecord = z.infer<typeof WorkerRecordSchema>;

/** A worker as status shows it: `lost` when it stopped beating without saying it stopped (killed, host down). */
export interface WorkerView extends WorkerRecord {
  readonly study: string;
  readonly status: 'running' | 'stopping' | 'stopped' | 'lost';
  /** Seconds since its last heartbeat, by the reader's clock. */
  readonly lastSeenAgeS: number;
  readonly trialsDone: number;
}

/** Missed heartbeats after which a running worker is shown as lost. */
const LOST_AFTER_BEATS = 3;

/** Writes (or, with null, removes) the worker's record in the study. */
export async function writeWorkerRecord(
  storage: StudyStorage,
  studyId: number,
  id: string,
  record: WorkerRecord | null,
): Promise<void> {
  await storage.setStudySystemAttr(studyId, `${WORKER_ATTR_PREFIX}${id}`, record ?? undefined);
}

/**
 * The workers recorded in a study, newest first. A record that does not parse (written by another
 * version) is left out, never guessed at.
 */
export async function readWorkers(
  storage: StudyStorage,
  study: { readonly studyId: number; readonly name: string },
  nowMs: number,
): Promise<WorkerView[]> {
  const attrs = await storage.getStudySystemAttrs(study.studyId);
  const out: WorkerView[] = [];
  for (const [key, value] of Object.entries(attrs)) {
    if (!key.startsWith(WORKER_ATTR_PREFIX)) continue;
    const parsed = WorkerRecordSchema.safeParse(value);
    if (!parsed.success) continue;
    const r = parsed.data;
    const age = (nowMs - Date.parse(r.lastSeenAt)) / 1000;
    const lost = r.state !== 'stopped' && age > LOST_AFTER_BEATS * r.heartbeatIntervalS;
    out.push({
      ...r,
      study: study.name,
      status: lost ? 'lost' : r.state,
      lastSeenAgeS: Math.max(0, age),
      trialsDone: r.complete + r.pruned + r.failed,
    });
  }
  return out.sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt));
}

/** The workers recorded in every study of the storage, by study name, then newest first. */
export async function readAllWorkers(storage: StudyStorage, nowMs: number): Promise<WorkerView[]> {
  const out: WorkerView[] = [];
  for (const study of await storage.listStudies()) out.push(...(await readWorkers(storage, study, nowMs)));
  return out;
}

/** Removes records of workers that stopped or were lost more than `olderThanS` ago; returns their ids. */
export async function forgetOldWorkers(
  storage: StudyStorage,
  study: { readonly studyId: number; readonly name: string },
  nowMs: number,
  olderThanS: number,
): Promise<string[]> {
  const gone = (await readWorkers(storage, study, nowMs)).filter(
    (w) => (w.status === 'stopped' || w.status === 'lost') && w.lastSeenAgeS > olderThanS,
  );
  for (const w of gone) await writeWorkerRecord(storage, study.studyId, w.id, null);
  return gone.map((w) => w.id);
}
