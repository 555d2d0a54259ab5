// `hybrid-trader train`: runs trials of a study on worker threads, sharing an Optuna-schema storage.
import { join } from 'node:path';
import type { Command } from 'commander';
import { rangeIso } from '../../training/objective/index.js';
import { maskStorageUrl, openStudyStorage } from '../../training/storage/index.js';
import { fmt } from '../format.js';
import { intOption } from '../options.js';
import { workspaceRoot } from '../root.js';
import { untilDone } from '../stop-signals.js';
import {
  addTrainingOptions,
  progressLine,
  type TrainingFlags,
  trainOptionsFromFlags,
} from '../training-flags.js';
import { VERSION } from '../version.js';

interface TrainFlags extends TrainingFlags {
  trials: number;
  workers: number;
  deterministic: boolean;
}

export function registerTrain(program: Command): void {
  const cmd = program
    .command('train')
    .description('run trials of a hyperparameter study (Optuna RDB schema) on worker threads')
    .option('--trials <n>', 'trials this process runs', intOption('--trials', 1), 10)
    .option('--workers <n>', 'worker threads', intOption('--workers', 1), 1)
    .option(
      '--no-deterministic',
      'let each trial learn from whatever finished when it starts (no waiting; results depend on worker timing)',
    );
  addTrainingOptions(cmd);
  cmd.action(async (flags: TrainFlags) => {
    const root = workspaceRoot(flags.root);
    const options = trainOptionsFromFlags(flags, root, {
      trials: flags.trials,
      workers: flags.workers,
      deterministic: flags.deterministic,
    });
    const { runStudyOnWorkers } = await import('../../training/workers/coordinator.js');
    const { openStudyJob } = await import('../../training/workers/study-job.js');
    const storage = await openStudyStorage(options.storageUrl, { baseDir: root });
    // Validate everything (kind, data, windows) in this thread first: a bad flag fails fast, once.
    const job = await openStudyJob(options, VERSION, storage, (warning) =>
      process.stderr.write(`warning: ${warning}\n`),
    );
    const stale = await storage.failStaleTrials(job.study.studyId, 60);
    if (stale.length > 0) process.stderr.write(`marked stale RUNNING trial(s) ${stale.join(', ')} as FAIL\n`);
    // bundle folders a killed trial left half-written (older than any write in progress elsewhere)
    const { sweepBundleTemps } = await import('../../models/bundle/index.js');
    for (const dir of sweepBundleTemps(join(root, 'models', options.study), 10 * 60_000))
      process.stderr.write(`removed ${dir}, left by an interrupted bundle write\n`);
    const tty = process.stderr.isTTY;
    const run = runStudyOnWorkers(
      options,
      storage,
      new URL('../../training/workers/worker-main.js', import.meta.url),
      VERSION,
      (p) => process.stderr.write(tty ? `\r\x1b[2K${progressLine(p)}` : `${progressLine(p)}\n`),
    );
    const summary = await untilDone(run.done, () => {
      run.requestStop();
      process.stderr.write('\nstopping: running trials finish; Ctrl-C again to fail them now\n');
    });
    await job.artifacts?.close();
    await storage.close();
    if (tty) process.stderr.write('\n');
    const result = {
      study: options.study,
      storage: maskStorageUrl(options.storageUrl),
      ...summary,
      last: undefined,
      trainingWindow: rangeIso(job.market, job.windows.train),
      validationWindows: job.windows.folds.map((f) => rangeIso(job.market, f)),
    };
    if (flags.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else
      process.stdout.write(
        `study ${options.study}: ${summary.complete} complete, ${summary.pruned} pruned, ${summary.failed} failed in ${summary.seconds.toFixed(1)} s; best ${summary.best ? `${fmt(summary.best.value, 4)} (trial ${summary.best.number})` : 'n/a'}\n`,
      );
    if (summary.aborted !== null) {
      process.stderr.write(`stopped early: ${summary.aborted}\n`);
      process.exitCode = 1;
    } else if (summary.interrupted) process.exitCode = 130;
  });
}
