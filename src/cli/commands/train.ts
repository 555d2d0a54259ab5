// `hybrid-trader train`: runs trials of a study on worker threads, sharing an Optuna-schema storage.
import { join } from 'node:path';
import type { Command } from 'commander';
import { loadWorkspaceConfig } from '../../config/workspace-config.js';
import { ConfigError } from '../../core/errors.js';
import { OBJECTIVES, PlacementSchema, rangeIso } from '../../training/objective/index.js';
import { openStudyStorage } from '../../training/storage/index.js';
import type { StudyProgress } from '../../training/workers/coordinator.js';
import { resolveTrainOptions } from '../../training/workers/train-options.js';
import { addDataOptions, type DataFlags, resolveDataOptions } from '../data-options.js';
import { fmt } from '../format.js';
import { intOption, isoOption, numberOption } from '../options.js';
import { ROOT_HELP, workspaceRoot } from '../root.js';
import { addSimOptions, type SimFlags, simConfigFromFlags } from '../sim-options.js';
import { VERSION } from '../version.js';

interface TrainFlags extends SimFlags, DataFlags {
  study: string;
  trials: number;
  workers: number;
  kind: string;
  storage: string;
  data: string;
  root?: string;
  sampler: string;
  seed: number;
  timeoutPerTrial: number;
  memoryPerTrial: number;
  ppoSteps: number;
  folds: number;
  validationBars: number;
  embargoBars: number;
  trainBars?: number;
  minTrainBars?: number;
  placement: string;
  objective: string;
  spreadPenalty: number;
  from?: number;
  to?: number;
  deterministic: boolean;
  json?: boolean;
}

function progressLine(p: StudyProgress): string {
  const best = p.best ? `best ${fmt(p.best.value, 3)} (trial ${p.best.number})` : 'best n/a';
  const eta = p.etaSeconds === null ? '' : `, ETA ${Math.ceil(p.etaSeconds)} s`;
  const last = p.last
    ? `  last: trial ${p.last.number} ${p.last.state}${p.last.value === null ? '' : ` ${fmt(p.last.value, 3)}`}${p.last.kind ? ` [${p.last.kind}]` : ''}${p.last.error ? ` (${p.last.error})` : ''}`
    : '';
  const finished = p.complete + p.pruned + p.failed;
  return `trials ${finished}/${p.requested} (${p.complete} complete, ${p.pruned} pruned, ${p.failed} failed, ${p.running} running), ${best}${eta}${last}`;
}

/** `value` if it is one of `choices`, else a ConfigError naming the flag and the choices. */
function parseChoice<T extends string>(flag: string, value: string, choices: readonly T[]): T {
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw new ConfigError('OPTION_INVALID', `${flag} must be one of ${choices.join(', ')}, was "${value}"`, {
    flag,
    value,
  });
}

export function registerTrain(program: Command): void {
  const cmd = program
    .command('train')
    .description('run trials of a hyperparameter study (Optuna RDB schema) on worker threads')
    .requiredOption('--study <name>', 'study name (created when missing)')
    .option('--trials <n>', 'trials this process runs', intOption('--trials', 1), 10)
    .option('--workers <n>', 'worker threads', intOption('--workers', 1), 1)
    .option('--kind <kind>', 'sma-cross | momentum | rsi-reversion | ppo | any', 'momentum')
    .option(
      '--storage <url>',
      'study storage URL (relative sqlite paths are under --root)',
      'sqlite:///studies.db',
    )
    .option('--data <file|builtin>', 'market data: file(s) or builtin[?seed=N&bars=N]', 'builtin')
    .option(
      '--from <iso>',
      "first bar the study trains and validates on (default: the data's first)",
      isoOption('--from'),
    )
    .option(
      '--to <iso>',
      "end of the bars the study sees, exclusive (default: the data's end)",
      isoOption('--to'),
    )
    .option('--root <dir>', ROOT_HELP)
    .option('--sampler <name>', 'tpe | random', 'tpe')
    .option('--seed <n>', 'sampler seed', intOption('--seed'), 0)
    .option(
      '--timeout-per-trial <s>',
      'fail a trial running longer, seconds',
      numberOption('--timeout-per-trial', 1),
      600,
    )
    .option(
      '--memory-per-trial <mb>',
      'heap limit of each worker, MiB',
      intOption('--memory-per-trial', 64),
      1024,
    )
    .option('--ppo-steps <n>', 'PPO environment steps per trial', intOption('--ppo-steps', 1), 16_384)
    .option(
      '--objective <name>',
      `what each fold scores: ${OBJECTIVES.join(' | ')} (see docs/training.md for when each misleads)`,
      'excess-sharpe',
    )
    .option(
      '--placement <where>',
      'spread: folds spread over the data, each after training on the bars before it (anchored walk-forward); end: consecutive folds at the end',
      'spread',
    )
    .option('--folds <n>', 'walk-forward validation folds', intOption('--folds', 1), 4)
    .option('--validation-bars <n>', 'bars per validation fold', intOption('--validation-bars', 2), 240)
    .option('--embargo-bars <n>', 'bars between training and validation', intOption('--embargo-bars', 0), 48)
    .option(
      '--train-bars <n>',
      'rolling training window, bars (default: all bars before the embargo)',
      intOption('--train-bars', 1),
    )
    .option(
      '--min-train-bars <n>',
      'spread: training bars before the first fold (default: a quarter of the data)',
      intOption('--min-train-bars', 1),
    )
    .option(
      '--spread-penalty <x>',
      'score penalty per unit of fold-Sharpe std',
      numberOption('--spread-penalty', 0),
      0.1,
    )
    .option(
      '--no-deterministic',
      'let each trial learn from whatever finished when it starts (no waiting; results depend on worker timing)',
    )
    .option('--json', 'print the final summary as JSON on stdout');
  addSimOptions(cmd);
  addDataOptions(cmd);
  cmd.action(async (flags: TrainFlags) => {
    const root = workspaceRoot(flags.root);
    const { onDuplicate, cacheDir } = resolveDataOptions(flags, loadWorkspaceConfig(root).data, root);
    const options = resolveTrainOptions({
      study: flags.study,
      trials: flags.trials,
      workers: flags.workers,
      kind: flags.kind,
      storageUrl: flags.storage,
      data: flags.data,
      onDuplicate,
      fromMs: flags.from ?? null,
      toMs: flags.to ?? null,
      deterministic: flags.deterministic,
      dataCacheDir: cacheDir ?? null,
      root,
      sampler: flags.sampler,
      seed: flags.seed,
      timeoutPerTrialS: flags.timeoutPerTrial,
      memoryPerTrialMb: flags.memoryPerTrial,
      ppoSteps: flags.ppoSteps,
      walkForward: {
        folds: flags.folds,
        validationBars: flags.validationBars,
        embargoBars: flags.embargoBars,
        trainBars: flags.trainBars ?? null,
        minTrainBars: flags.minTrainBars ?? null,
        placement: parseChoice('--placement', flags.placement, PlacementSchema.options),
        objective: parseChoice('--objective', flags.objective, OBJECTIVES),
        spreadPenalty: flags.spreadPenalty,
      },
      sim: simConfigFromFlags(flags),
    });
    const { runStudyOnWorkers } = await import('../../training/workers/coordinator.js');
    const { openStudyJob } = await import('../../training/workers/study-job.js');
    const storage = await openStudyStorage(options.storageUrl, { baseDir: root });
    // Validate everything (kind, data, windows) in this thread first: a bad flag fails fast, once.
    const job = await openStudyJob(options, VERSION, storage);
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
    const onSigint = () => {
      run.requestStop();
      process.stderr.write('\nstopping: running trials finish; Ctrl-C again to fail them now\n');
    };
    process.on('SIGINT', onSigint);
    process.on('SIGTERM', onSigint);
    const summary = await run.done;
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
    await storage.close();
    if (tty) process.stderr.write('\n');
    const result = {
      study: options.study,
      storage: options.storageUrl,
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
    if (summary.interrupted) process.exitCode = 130;
  });
}
