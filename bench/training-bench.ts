// Seconds per trial of the default rule (momentum) and PPO searches on one year of hourly bars.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTrial } from '../src/training/run-trial.js';
import { openStudyStorage } from '../src/training/storage/index.js';
import { openStudyJob } from '../src/training/workers/study-job.js';
import { TrainOptionsSchema } from '../src/training/workers/train-options.js';
import type { BenchFigure } from './sim-bench.js';

async function secondsPerTrial(kind: string, trials: number): Promise<number> {
  const root = mkdtempSync(join(tmpdir(), 'ht-bench-'));
  try {
    const options = TrainOptionsSchema.parse({
      study: `bench-${kind}`,
      trials,
      kind,
      storageUrl: 'sqlite:///studies.db',
      root,
    });
    const storage = await openStudyStorage(options.storageUrl, { baseDir: root });
    const job = await openStudyJob(options, 'bench', storage);
    const started = process.hrtime.bigint();
    for (let k = 0; k < trials; k++) {
      const { trialId, number } = await storage.createTrial(job.study.studyId, { heartbeat: true });
      const outcome = await runTrial(job, trialId, number);
      if (outcome.state === 'FAIL') throw new Error(`bench trial failed: ${outcome.error}`);
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9 / trials;
    await job.artifacts?.close();
    await storage.close();
    return seconds;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** One worker, in-process: sampling, training, 4-fold validation, bundle, storage writes. */
export async function trainingBenchmarks(): Promise<BenchFigure[]> {
  return [
    {
      name: 'momentum trial (TPE, 4 folds, bundle), 7 assets x 8760 h',
      value: await secondsPerTrial('momentum', 10),
      unit: 's/trial',
    },
    {
      name: 'PPO trial (default 16384 steps, 4 folds, bundle), 7 assets x 8760 h',
      value: await secondsPerTrial('ppo', 2),
      unit: 's/trial',
    },
  ];
}
