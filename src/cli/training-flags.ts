// The flags `train` and `worker` share (the study, its storage and artifacts, data, window), and the study
// settings (sampler, limits, folds, objective) that `evaluate` shares with them too.
import type { Command } from 'commander';
import { loadWorkspaceConfig } from '../config/workspace-config.js';
import { ConfigError } from '../core/errors.js';
import { OBJECTIVES, PlacementSchema } from '../training/objective/index.js';
import type { StudyProgress } from '../training/workers/coordinator.js';
import {
  resolveTrainOptions,
  type TrainOptions,
  type TrainOptionsInput,
} from '../training/workers/train-options.js';
import { addDataOptions, type DataFlags, resolveDataOptions } from './data-options.js';
import { fmt } from './format.js';
import { intOption, isoOption, numberOption } from './options.js';
import { ROOT_HELP } from './root.js';
import { addSimOptions, type SimFlags, simConfigFromFlags } from './sim-options.js';
import { addStorageOptions, resolveStorage, type StorageFlags } from './storage-options.js';

/** The study settings: what a study samples, trains and scores (`train`, `worker` and `evaluate`). */
export interface StudySettingsFlags {
  kind: string;
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
}

export interface TrainingFlags extends StudySettingsFlags, SimFlags, DataFlags, StorageFlags {
  study: string;
  data: string;
  root?: string;
  from?: number;
  to?: number;
  json?: boolean;
}

/** `value` if it is one of `choices`, else a ConfigError naming the flag and the choices. */
function parseChoice<T extends string>(flag: string, value: string, choices: readonly T[]): T {
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw new ConfigError('OPTION_INVALID', `${flag} must be one of ${choices.join(', ')}, was "${value}"`, {
    flag,
    value,
  });
}

/** Adds the study settings flags (kind, sampler, seed, limits, walk-forward folds and objective). */
export function addStudySettingsOptions(cmd: Command): Command {
  return cmd
    .option('--kind <kind>', 'sma-cross | momentum | rsi-reversion | ppo | any', 'momentum')
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
      'heap limit of each worker thread, MiB',
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
    );
}

/** The study-settings part of TrainOptions from their flags. */
export function studySettingsFromFlags(
  flags: StudySettingsFlags,
): Pick<
  TrainOptionsInput,
  'kind' | 'sampler' | 'seed' | 'timeoutPerTrialS' | 'memoryPerTrialMb' | 'ppoSteps' | 'walkForward'
> {
  return {
    kind: flags.kind,
    // checked with the rest by resolveTrainOptions (TRAIN_OPTIONS_INVALID)
    sampler: flags.sampler as TrainOptionsInput['sampler'],
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
  };
}

/** Adds the shared flags (not --trials nor the thread count, whose meaning differs by command). */
export function addTrainingOptions(cmd: Command): Command {
  cmd
    .requiredOption('--study <name>', 'study name (created when missing)')
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
    .option('--root <dir>', ROOT_HELP);
  addStudySettingsOptions(cmd).option('--json', 'print the final summary as JSON on stdout');
  return addDataOptions(addSimOptions(addStorageOptions(cmd)));
}

/** Validated TrainOptions from the shared flags and the command's own (trials, threads, worker id...). */
export function trainOptionsFromFlags(
  flags: TrainingFlags,
  root: string,
  own: Pick<TrainOptions, 'trials' | 'workers' | 'deterministic'> &
    Partial<Pick<TrainOptions, 'heartbeatIntervalS' | 'workerId'>>,
): TrainOptions {
  const config = loadWorkspaceConfig(root);
  const { onDuplicate, cacheDir, bounds } = resolveDataOptions(flags, config.data, root);
  const { storage, artifacts } = resolveStorage(flags, config.storage);
  return resolveTrainOptions({
    study: flags.study,
    ...own,
    ...studySettingsFromFlags(flags),
    storageUrl: storage,
    artifacts,
    data: flags.data,
    onDuplicate,
    dataCacheDir: cacheDir ?? null,
    dataBounds: bounds,
    fromMs: flags.from ?? null,
    toMs: flags.to ?? null,
    root,
    sim: simConfigFromFlags(flags),
  });
}

/** One line of training progress (`train` and `worker`). */
export function progressLine(p: StudyProgress): string {
  const best = p.best ? `best ${fmt(p.best.value, 3)} (trial ${p.best.number})` : 'best n/a';
  const eta = p.etaSeconds === null ? '' : `, ETA ${Math.ceil(p.etaSeconds)} s`;
  const last = p.last
    ? `  last: trial ${p.last.number} ${p.last.state}${p.last.value === null ? '' : ` ${fmt(p.last.value, 3)}`}${p.last.kind ? ` [${p.last.kind}]` : ''}${p.last.error ? ` (${p.last.error})` : ''}`
    : '';
  const finished = p.complete + p.pruned + p.failed;
  const of = Number.isFinite(p.requested) ? `/${p.requested}` : '';
  return `trials ${finished}${of} (${p.complete} complete, ${p.pruned} pruned, ${p.failed} failed, ${p.running} running), ${best}${eta}${last}`;
}
