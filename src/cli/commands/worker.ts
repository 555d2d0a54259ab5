// `hybrid-trader worker`: a study worker on any host, running trials of a shared study until stopped or its budget is met.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Command } from 'commander';
import { ConfigError } from '../../core/errors.js';
import { maskStorageUrl, openStudyStorage } from '../../training/storage/index.js';
import { fmt } from '../format.js';
import { intOption, numberOption } from '../options.js';
import { workspaceRoot } from '../root.js';
import { untilDone } from '../stop-signals.js';
import {
  addTrainingOptions,
  progressLine,
  type TrainingFlags,
  trainOptionsFromFlags,
} from '../training-flags.js';
import { VERSION } from '../version.js';

interface WorkerFlags extends TrainingFlags {
  trials?: number;
  threads: number;
  heartbeatInterval: number;
  heartbeatGrace: number;
  id?: string;
}

export function registerWorker(program: Command): void {
  const cmd = program
    .command('worker')
    .description(
      'run trials of a shared study on this host until stopped (SIGTERM/Ctrl-C) or --trials are done; many workers on many hosts may join one PostgreSQL study',
    )
    .option(
      '--trials <n>',
      'stop after this many trials of this worker (default: run until stopped)',
      intOption('--trials', 1),
    )
    .option('--threads <n>', 'trials run at once by this worker', intOption('--threads', 1), 1)
    .option(
      '--heartbeat-interval <s>',
      'seconds between heartbeats of running trials and of the worker itself',
      numberOption('--heartbeat-interval', 0.1, 3600),
      5,
    )
    .option(
      '--heartbeat-grace <s>',
      'a RUNNING trial whose heartbeat is older is failed (its worker died); several intervals',
      numberOption('--heartbeat-grace', 0.5),
      60,
    )
    .option('--id <name>', "this worker's name in the study (default: <host>-<pid>-<random>)");
  addTrainingOptions(cmd);
  cmd.action(async (flags: WorkerFlags) => {
    if (flags.heartbeatGrace < 2 * flags.heartbeatInterval)
      throw new ConfigError(
        'HEARTBEAT_GRACE_TOO_SHORT',
        `--heartbeat-grace must span at least 2 heartbeat intervals (${2 * flags.heartbeatInterval} s), was ${flags.heartbeatGrace} s: live trials would be failed`,
        { grace: flags.heartbeatGrace, interval: flags.heartbeatInterval },
      );
    const root = workspaceRoot(flags.root);
    const workerId = flags.id ?? `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
    const options = {
      ...trainOptionsFromFlags(flags, root, {
        trials: flags.trials ?? Number.POSITIVE_INFINITY,
        workers: flags.threads,
        // Workers join and leave at any time: the study's order of trials depends on them anyway, and
        // waiting for lower-numbered trials of other workers would serialise the whole study.
        deterministic: false,
        heartbeatIntervalS: flags.heartbeatInterval,
        workerId,
      }),
      workerId,
    };
    const { openStudyJob } = await import('../../training/workers/study-job.js');
    const { runWorkerService } = await import('../../training/workers/worker-service.js');
    const storage = await openStudyStorage(options.storageUrl, { baseDir: root });
    // Validate everything (kind, data, windows, artifacts) here first: a bad flag fails fast, once.
    const job = await openStudyJob(options, VERSION, storage, (warning) =>
      process.stderr.write(`warning: ${warning}\n`),
    );
    const log = (line: string) => process.stderr.write(`${line}\n`);
    log(
      `worker ${workerId} on study ${options.study} (${maskStorageUrl(options.storageUrl)}), ${options.workers} thread(s), ${Number.isFinite(options.trials) ? `${options.trials} trials` : 'until stopped'}; bundles published to ${job.artifacts?.shown ?? 'this workspace only'}`,
    );
    const service = runWorkerService({
      options,
      storage,
      job,
      workerUrl: new URL('../../training/workers/worker-main.js', import.meta.url),
      packageVersion: VERSION,
      staleGraceS: flags.heartbeatGrace,
      log,
      onProgress: (p) => log(progressLine(p)),
    });
    let signals = 0;
    const summary = await untilDone(service.done, (count) => {
      signals = count;
      service.requestStop();
      log(
        count === 1
          ? 'stopping: running trials finish; signal again to fail them now'
          : 'failing running trials',
      );
    });
    await job.artifacts?.close();
    await storage.close();
    const result = { study: options.study, ...summary, last: undefined };
    if (flags.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else
      process.stdout.write(
        `worker ${workerId}: ${summary.complete} complete, ${summary.pruned} pruned, ${summary.failed} failed in ${summary.seconds.toFixed(1)} s; best ${summary.best ? `${fmt(summary.best.value, 4)} (trial ${summary.best.number})` : 'n/a'}\n`,
      );
    // A stop asked once lets every trial finish: a clean exit. A second one failed running trials.
    if (summary.aborted !== null) {
      log(`stopped early: ${summary.aborted}`);
      process.exitCode = 1;
    } else if (signals >= 2) process.exitCode = 130;
  });
}
