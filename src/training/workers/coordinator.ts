// Runs a study's trials on worker threads: assigns trials, enforces time and memory limits, keeps
// heartbeats, and stops cleanly (finish running trials, or fail them on a second request).
import { Worker } from 'node:worker_threads';
import { workerFaults } from '../../state/index.js';
import type { TrialOutcome } from '../run-trial.js';
import type { StudyStorage } from '../storage/index.js';
import type { FromWorker, ToWorker } from './messages.js';
import type { TrainOptions } from './train-options.js';

export interface StudyProgress {
  readonly requested: number;
  readonly started: number;
  readonly complete: number;
  readonly pruned: number;
  readonly failed: number;
  readonly running: number;
  /** Numbers of the trials running now. */
  readonly runningTrials: readonly number[];
  readonly best: { number: number; value: number } | null;
  /** Estimated seconds left, from the mean trial time so far; null before the first trial ends. */
  readonly etaSeconds: number | null;
  readonly last: TrialOutcome | null;
}

export interface StudyRunSummary extends StudyProgress {
  readonly seconds: number;
  readonly interrupted: boolean;
  /** Why the run stopped before its trials were done (a thread could not start or create a trial), or null. */
  readonly aborted: string | null;
}

export interface StudyRun {
  /** First call: start no new trials and let running ones finish. Second: fail running trials now. */
  requestStop(): void;
  /** Where the run is now. */
  progress(): StudyProgress;
  readonly done: Promise<StudyRunSummary>;
}

interface Slot {
  worker: Worker;
  /** Told to run a trial that it has not started yet (a thread that dies then gives the trial back). */
  assigned: boolean;
  trial: { trialId: number; number: number; startedAt: number; timer: NodeJS.Timeout | null } | null;
}

/**
 * Starts `options.trials` trials on `options.workers` threads running `workerUrl` (worker-main.js).
 * `storage` is the main thread's own connection: it records heartbeats of running trials and marks
 * timed-out, crashed or interrupted trials FAIL with a `fail_reason`.
 */
export function runStudyOnWorkers(
  options: TrainOptions,
  storage: StudyStorage,
  workerUrl: URL,
  packageVersion: string,
  onProgress: (progress: StudyProgress) => void = () => {},
): StudyRun {
  const startedAt = Date.now();
  const slots = new Set<Slot>();
  let toStart = options.trials;
  let started = 0;
  let stopRequests = 0;
  let aborted: string | null = null;
  const counts = { complete: 0, pruned: 0, failed: 0 };
  let best: StudyProgress['best'] = null;
  let last: TrialOutcome | null = null;
  let trialSeconds = 0;
  let finishedTrials = 0;
  let resolveDone!: (s: StudyRunSummary) => void;
  const done = new Promise<StudyRunSummary>((r) => {
    resolveDone = r;
  });

  const running = () => [...slots].filter((s) => s.trial !== null).length;
  const progress = (): StudyProgress => {
    const left = toStart + running();
    const mean = finishedTrials > 0 ? trialSeconds / finishedTrials : null;
    return {
      requested: options.trials,
      started,
      ...counts,
      running: running(),
      runningTrials: [...slots].flatMap((s) => (s.trial ? [s.trial.number] : [])),
      best,
      etaSeconds: mean === null ? null : (mean * left) / Math.max(1, Math.min(options.workers, left)),
      last,
    };
  };

  const heartbeat = setInterval(() => {
    for (const s of slots) {
      // A missed beat is not fatal: the next one comes an interval later, and the grace spans several.
      if (s.trial) storage.recordHeartbeat(s.trial.trialId).catch(() => {});
    }
  }, options.heartbeatIntervalS * 1000);

  /** Storage writes still under way; the run is done only once they are. */
  const writes = new Set<Promise<void>>();
  const track = (write: Promise<void>) => {
    writes.add(write);
    void write.finally(() => writes.delete(write));
  };

  const record = (outcome: TrialOutcome) => {
    last = outcome;
    finishedTrials++;
    trialSeconds += outcome.seconds;
    if (outcome.state === 'COMPLETE') {
      counts.complete++;
      if (outcome.value !== null && (best === null || outcome.value > best.value))
        best = { number: outcome.number, value: outcome.value };
    } else if (outcome.state === 'PRUNED') counts.pruned++;
    else counts.failed++;
    onProgress(progress());
  };

  const failRunning = (slot: Slot, reason: string) => {
    const trial = slot.trial;
    if (!trial) return;
    if (trial.timer) clearTimeout(trial.timer);
    slot.trial = null;
    track(
      storage
        .updateTrial(trial.trialId, { userAttrs: { fail_reason: reason }, finish: { state: 'FAIL' } })
        .catch(() => {
          // already finished by the worker in the meantime
        }),
    );
    record({
      trialId: trial.trialId,
      number: trial.number,
      state: 'FAIL',
      value: null,
      modelPath: null,
      kind: null,
      error: reason,
      seconds: (Date.now() - trial.startedAt) / 1000,
    });
  };

  const maybeFinish = () => {
    if (slots.size > 0) return;
    clearInterval(heartbeat);
    void Promise.allSettled([...writes]).then(() =>
      resolveDone({
        ...progress(),
        seconds: (Date.now() - startedAt) / 1000,
        interrupted: stopRequests > 0,
        aborted,
      }),
    );
  };

  const assign = (slot: Slot) => {
    const message: ToWorker = toStart > 0 && stopRequests === 0 ? { type: 'run' } : { type: 'stop' };
    if (message.type === 'run') {
      toStart--;
      slot.assigned = true;
    }
    slot.worker.postMessage(message);
  };

  const spawn = () => {
    const worker = new Worker(workerUrl, {
      workerData: { options, packageVersion, faults: workerFaults() },
      resourceLimits: { maxOldGenerationSizeMb: options.memoryPerTrialMb },
    });
    const slot: Slot = { worker, assigned: false, trial: null };
    slots.add(slot);
    worker.on('message', (message: FromWorker) => {
      if (message.type === 'ready') assign(slot);
      else if (message.type === 'started') {
        slot.assigned = false;
        started++;
        slot.trial = { trialId: message.trialId, number: message.number, startedAt: Date.now(), timer: null };
      } else if (message.type === 'running') {
        // The time limit counts from here: waiting for the trials it learns from is not the trial's time.
        if (slot.trial?.trialId === message.trialId && slot.trial.timer === null) {
          slot.trial.startedAt = Date.now();
          slot.trial.timer = setTimeout(() => {
            failRunning(slot, `timeout: still running after ${options.timeoutPerTrialS} s`);
            void worker.terminate();
          }, options.timeoutPerTrialS * 1000);
        }
      } else if (message.type === 'finished') {
        if (slot.trial?.timer) clearTimeout(slot.trial.timer);
        slot.trial = null;
        record(message.outcome);
        // a full or read-only workspace fails every later trial too: stop, naming it
        const failure = message.outcome;
        if (failure.workspaceError !== undefined) {
          toStart = 0;
          aborted ??= `error [${failure.workspaceError}]: ${failure.error}`;
        }
        assign(slot);
      } else if (message.type === 'failed-to-start') {
        slot.assigned = false;
        toStart = 0;
        aborted ??= message.error;
        counts.failed++;
        last = null;
        onProgress({ ...progress() });
        process.stderr.write(`worker could not start: ${message.error}\n`);
      }
    });
    worker.on('error', (error) => failRunning(slot, `worker error: ${error.message}`));
    worker.on('exit', () => {
      failRunning(slot, 'worker exited during the trial');
      slots.delete(slot);
      // Died before its trial was created (e.g. a dropped connection it did not survive): the trial was never
      // started, so the budget gets it back and the replacement runs it.
      if (slot.assigned && aborted === null && stopRequests === 0) toStart++;
      // Replace a worker lost mid-study (timeout, out of memory) while trials remain.
      if (toStart > 0 && stopRequests === 0) spawn();
      maybeFinish();
    });
  };

  for (let k = 0; k < Math.min(options.workers, options.trials); k++) spawn();

  return {
    done,
    progress,
    requestStop() {
      stopRequests++;
      toStart = 0;
      if (stopRequests >= 2) {
        for (const slot of slots) {
          failRunning(slot, 'interrupted');
          void slot.worker.terminate();
        }
      }
    },
  };
}
