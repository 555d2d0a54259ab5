// A study worker as a service: runs trials until stopped or its budget is met, says it is alive in the study,
// and fails the trials of workers that died (their heartbeats went quiet), as any participant may.
import { hostname } from 'node:os';
import type { StudyJob } from '../run-trial.js';
import type { StudyStorage } from '../storage/index.js';
import { runStudyOnWorkers, type StudyProgress, type StudyRunSummary } from './coordinator.js';
import type { TrainOptions } from './train-options.js';
import { forgetOldWorkers, type WorkerRecord, writeWorkerRecord } from './worker-registry.js';

export interface WorkerServiceOptions {
  /** Validated options; `workerId` names this worker in the study. */
  readonly options: TrainOptions & { readonly workerId: string };
  /** This process's own connection (heartbeats, its record, stale checks). */
  readonly storage: StudyStorage;
  readonly job: StudyJob;
  readonly workerUrl: URL;
  readonly packageVersion: string;
  /** A RUNNING trial whose heartbeat is older than this is failed (its worker died). */
  readonly staleGraceS: number;
  /** Lines for the operator (stale trials failed, storage trouble). */
  readonly log: (line: string) => void;
  readonly onProgress?: (progress: StudyProgress) => void;
  readonly nowMs?: () => number;
}

export interface WorkerServiceSummary extends StudyRunSummary {
  readonly workerId: string;
  /** Trial numbers of other (dead) workers this one failed as stale. */
  readonly staleFailed: readonly number[];
}

export interface WorkerService {
  /** First call: no new trials, running ones finish. Second: fail running trials now. */
  requestStop(): void;
  readonly done: Promise<WorkerServiceSummary>;
}

/** Records of workers gone for more than a day are removed by the next worker that starts. */
const FORGET_AFTER_S = 24 * 3600;

/**
 * Starts the worker: fails stale trials of the study, records itself, runs trials on threads, and every
 * heartbeat interval refreshes its record and fails trials whose heartbeat is older than the grace (so
 * the trial of a killed worker ends FAIL while the others go on; its number is never reused). Storage
 * trouble in these housekeeping writes is logged, not fatal: the trials themselves retry their writes.
 */
export function runWorkerService(o: WorkerServiceOptions): WorkerService {
  const now = o.nowMs ?? Date.now;
  const { studyId, name } = o.job.study;
  const started = new Date(now()).toISOString();
  const staleFailed: number[] = [];
  const record = (state: WorkerRecord['state'], p: StudyProgress | null): WorkerRecord => ({
    id: o.options.workerId,
    host: hostname(),
    pid: process.pid,
    kind: o.options.kind,
    version: o.packageVersion,
    startedAt: started,
    lastSeenAt: new Date(now()).toISOString(),
    heartbeatIntervalS: o.options.heartbeatIntervalS,
    state,
    complete: p?.complete ?? 0,
    pruned: p?.pruned ?? 0,
    failed: p?.failed ?? 0,
    running: [...(p?.runningTrials ?? [])],
  });
  const quietly = (what: string, work: Promise<unknown>) =>
    work.catch((error: Error) => o.log(`worker ${o.options.workerId}: could not ${what}: ${error.message}`));
  const failStale = async () => {
    const failed = await o.storage.failStaleTrials(studyId, o.staleGraceS);
    if (failed.length === 0) return;
    staleFailed.push(...failed);
    o.log(`trial(s) ${failed.join(', ')} of ${name}: heartbeat older than ${o.staleGraceS} s, marked FAIL`);
  };

  let stops = 0;
  let run: ReturnType<typeof runStudyOnWorkers> | null = null;
  const done = (async (): Promise<WorkerServiceSummary> => {
    await quietly('fail stale trials', failStale());
    await quietly('forget old workers', forgetOldWorkers(o.storage, o.job.study, now(), FORGET_AFTER_S));
    await quietly(
      'record itself',
      writeWorkerRecord(o.storage, studyId, o.options.workerId, record('running', null)),
    );
    const current = runStudyOnWorkers(o.options, o.storage, o.workerUrl, o.packageVersion, o.onProgress);
    run = current;
    for (let k = 0; k < stops; k++) current.requestStop();
    let ticking = false;
    const tick = setInterval(() => {
      if (ticking) return; // a slow database: skip a beat rather than pile writes up
      ticking = true;
      const state = stops > 0 ? 'stopping' : 'running';
      void Promise.all([
        quietly(
          'refresh its record',
          writeWorkerRecord(o.storage, studyId, o.options.workerId, record(state, current.progress())),
        ),
        quietly('fail stale trials', failStale()),
      ]).finally(() => {
        ticking = false;
      });
    }, o.options.heartbeatIntervalS * 1000);
    try {
      const summary = await current.done;
      await quietly(
        'record its stop',
        writeWorkerRecord(o.storage, studyId, o.options.workerId, record('stopped', summary)),
      );
      return { ...summary, workerId: o.options.workerId, staleFailed };
    } finally {
      clearInterval(tick);
    }
  })();
  return {
    done,
    requestStop() {
      stops++;
      (run as ReturnType<typeof runStudyOnWorkers> | null)?.requestStop();
    },
  };
}
