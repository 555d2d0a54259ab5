// Runs the gate study on worker threads (one per core by default) and aggregates the report.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  aggregateStudy,
  type GateStudyOptions,
  type GateStudyReport,
  runStudyTasks,
  type StudyTask,
  type StudyTaskResult,
  studyGates,
  studyTasks,
} from '../lifecycle/gate-study/index.js';

export interface GateStudyRun {
  readonly report: GateStudyReport;
  readonly workers: number;
  /** Wall-clock seconds of the run (reported, never asserted). */
  readonly seconds: number;
}

const WORKER = fileURLToPath(new URL('./gate-study-worker.js', import.meta.url));

/**
 * Runs every task of the study split over `workers` threads (default: the available cores), or in this
 * thread when 1 or when the compiled worker is absent (tests run the sources). Tasks are dealt round-robin;
 * each lifetime depends only on (seed, design, index), so the report is the same for any split.
 */
export async function runGateStudy(
  options: GateStudyOptions,
  workers = availableParallelism(),
): Promise<GateStudyRun> {
  const started = performance.now();
  const tasks = studyTasks(options);
  studyGates(options); // an unknown configuration name fails here, before any worker starts
  const count = Math.max(1, Math.min(workers, tasks.length));
  let results: StudyTaskResult[];
  if (count === 1 || !existsSync(WORKER)) results = runStudyTasks(options, tasks);
  else {
    const shares: StudyTask[][] = Array.from({ length: count }, () => []);
    for (let i = 0; i < tasks.length; i++) shares[i % count]!.push(tasks[i]!);
    const parts = await Promise.all(shares.map((share) => runInWorker(options, share)));
    results = parts.flat();
  }
  const used = count === 1 || !existsSync(WORKER) ? 1 : count;
  return {
    report: aggregateStudy(options, results),
    workers: used,
    seconds: (performance.now() - started) / 1000,
  };
}

function runInWorker(options: GateStudyOptions, tasks: StudyTask[]): Promise<StudyTaskResult[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, { workerData: { options, tasks } });
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`gate-study worker exited with code ${code}`));
    });
  });
}
