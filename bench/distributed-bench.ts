// Trials per second of one momentum study shared by 1, 2 and 4 `hybrid-trader worker` processes (each with
// its own workspace), on SQLite and on PostgreSQL (a throwaway cluster), and PostgreSQL round trips per trial.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PostgresArtifactStore } from '../src/training/artifacts/postgres-artifact-store.js';
import { runTrial } from '../src/training/run-trial.js';
import { openStudyStorage } from '../src/training/storage/index.js';
import { PostgresStudyStorage } from '../src/training/storage/postgres-study-storage.js';
import type { FrozenTrial } from '../src/training/trial.js';
import { openStudyJob } from '../src/training/workers/study-job.js';
import { TrainOptionsSchema } from '../src/training/workers/train-options.js';
import { WORKER_TRIAL_ATTR } from '../src/training/workers/worker-registry.js';
import type { BenchFigure } from './sim-bench.js';
import { startThrowawayCluster } from './throwaway-postgres.js';

const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
const PROCESSES = [1, 2, 4] as const;
/** Trials per worker process: each process runs long enough that its start-up is a small part of it. */
const TRIALS_PER_WORKER = 60;

/** Runs one `hybrid-trader worker` to its end; rejects with its stderr when it fails. */
function runWorker(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'worker', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`worker exited ${code}: ${stderr.trim().slice(-500)}`)),
    );
  });
}

/**
 * Throughput while every worker was running: the trials finished between the moment the last worker
 * started its first trial and the moment the first worker finished its last, over that time (process
 * start-up, loading the market, and the tail where some workers are done already are left out).
 */
export function steadyThroughput(trials: readonly FrozenTrial[]): { perSecond: number; seconds: number } {
  const byWorker = new Map<string, FrozenTrial[]>();
  for (const t of trials) {
    const w = String(t.systemAttrs[WORKER_TRIAL_ATTR]);
    byWorker.set(w, [...(byWorker.get(w) ?? []), t]);
  }
  const starts = [...byWorker.values()].map((ts) => Math.min(...ts.map((t) => t.datetimeStart!)));
  const ends = [...byWorker.values()].map((ts) => Math.max(...ts.map((t) => t.datetimeComplete!)));
  const from = Math.max(...starts);
  const to = Math.min(...ends);
  const done = trials.filter((t) => t.datetimeComplete! > from && t.datetimeComplete! <= to).length;
  const seconds = (to - from) / 1000;
  return { perSecond: done / seconds, seconds };
}

/** `n` worker processes on one study at `url`; trials per second while they all ran. */
async function studyThroughput(url: string, study: string, n: number): Promise<number> {
  const roots = Array.from({ length: n }, (_, k) => mkdtempSync(join(tmpdir(), `ht-bench-dist-w${k}-`)));
  try {
    await Promise.all(
      roots.map((root, k) =>
        runWorker([
          '--storage',
          url,
          '--study',
          study,
          '--kind',
          'momentum',
          '--trials',
          String(TRIALS_PER_WORKER),
          '--seed',
          String(k + 1),
          '--root',
          root,
        ]),
      ),
    );
    const storage = await openStudyStorage(url);
    try {
      const s = (await storage.findStudy(study))!;
      const trials = await storage.getTrials(s.studyId, ['COMPLETE', 'PRUNED']);
      if (trials.length !== n * TRIALS_PER_WORKER)
        throw new Error(`${study}: ${trials.length} trials finished, expected ${n * TRIALS_PER_WORKER}`);
      return steadyThroughput(trials).perSecond;
    } finally {
      await storage.close();
    }
  } finally {
    for (const root of roots) rmSync(root, { recursive: true, force: true });
  }
}

/** Round trips (and transactions) per momentum trial on PostgreSQL: study storage and bundle publishing. */
async function roundTripsPerTrial(url: string): Promise<BenchFigure[]> {
  const root = mkdtempSync(join(tmpdir(), 'ht-bench-rt-'));
  const trials = 20;
  try {
    const options = TrainOptionsSchema.parse({
      study: 'round-trips',
      trials,
      kind: 'momentum',
      storageUrl: url,
      artifacts: 'auto',
      root,
    });
    const storage = await openStudyStorage(url);
    const job = await openStudyJob(options, 'bench', storage);
    if (!(storage instanceof PostgresStudyStorage) || !(job.artifacts instanceof PostgresArtifactStore))
      throw new Error('round trips are counted on PostgreSQL with bundles published in the database');
    const artifacts = job.artifacts;
    const before = { storage: { ...storage.stats }, artifacts: { ...artifacts.stats } };
    for (let k = 0; k < trials; k++) {
      const { trialId, number } = await storage.createTrial(job.study.studyId, { heartbeat: true });
      const outcome = await runTrial(job, trialId, number);
      if (outcome.state === 'FAIL') throw new Error(`bench trial failed: ${outcome.error}`);
    }
    const per = (a: number, b: number) => (a - b) / trials;
    const published = (await storage.getTrials(job.study.studyId, ['COMPLETE'])).length;
    const publishTrips = artifacts.stats.roundTrips - before.artifacts.roundTrips;
    const figures: BenchFigure[] = [
      {
        name: 'PostgreSQL round trips per momentum trial: study storage',
        value: per(storage.stats.roundTrips, before.storage.roundTrips),
        unit: 'round trips',
        note: `${per(storage.stats.transactions, before.storage.transactions).toFixed(1)} transactions; ask, sampler reads, pruner reports, tell; ${trials} trials`,
      },
      {
        name: 'PostgreSQL round trips per momentum trial: bundle publishing',
        value: publishTrips / trials,
        unit: 'round trips',
        note: `one INSERT per bundle file: ${(publishTrips / Math.max(1, published)).toFixed(1)} per bundle, ${published} of ${trials} trials completed (pruned ones publish nothing)`,
      },
    ];
    await artifacts.close();
    await storage.close();
    return figures;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/**
 * The figures, SQLite first. On PostgreSQL only when the server binaries are installed (a throwaway
 * cluster is started and removed); otherwise that group is left out with a line saying why.
 */
export async function distributedBenchmarks(): Promise<BenchFigure[]> {
  const figures: BenchFigure[] = [];
  const note = (n: number) =>
    `${n} process(es) x ${TRIALS_PER_WORKER} trials, 7 assets x 8760 h, 4 folds; ${cpus().length} cores`;
  const dir = mkdtempSync(join(tmpdir(), 'ht-bench-sqlite-'));
  try {
    for (const n of PROCESSES)
      figures.push({
        name: `momentum study, ${n} worker process(es), SQLite`,
        value: await studyThroughput(`sqlite:///${join(dir, 'studies.db')}`, `bench-${n}`, n),
        unit: 'trials/s',
        note: note(n),
      });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  let cluster: Awaited<ReturnType<typeof startThrowawayCluster>>;
  try {
    cluster = await startThrowawayCluster();
  } catch (error) {
    console.log(`(PostgreSQL figures left out: ${(error as Error).message})`);
    return figures;
  }
  try {
    for (const n of PROCESSES)
      figures.push({
        name: `momentum study, ${n} worker process(es), PostgreSQL`,
        value: await studyThroughput(cluster.url, `bench-${n}`, n),
        unit: 'trials/s',
        note: `${note(n)}; bundles published in the database`,
      });
    figures.push(...(await roundTripsPerTrial(cluster.url)));
  } finally {
    cluster.stop();
  }
  return figures;
}
