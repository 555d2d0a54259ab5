// One window of the rolling evaluation: train the study on the hours before the window (or reuse the study a
// previous run trained with the same settings), then replay every mode over the window through the one
// frame loop, and keep what each did.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ConfigError, StateError } from '../../core/errors.js';
import type { ArenaConfigInput } from '../../lifecycle/arena/index.js';
import type { DeployerConfigInput, DeploymentMode } from '../../lifecycle/deployer/index.js';
import { indexAtOrAfter, type MarketData } from '../../market/market-data.js';
import type { SimConfig } from '../../sim/index.js';
import { fileUnreadable, parseJsonOr, writeFileAtomicSafeSync } from '../../state/index.js';
import { rankedTrials, rebaseTrials } from '../../training/ranked-trials.js';
import { openStudyStorage } from '../../training/storage/index.js';
import { runStudyOnWorkers } from '../../training/workers/coordinator.js';
import { resolveTrainOptions, type TrainOptions } from '../../training/workers/train-options.js';
import { figureWindow, type ReplayResult, runReplay } from '../replay.js';
import { renderReplayReport, windowLabel } from '../report/replay-report.js';
import type { EvaluationWindow } from './plan.js';

/** Everything one window needs, as plain data (it crosses to a worker thread). */
export interface WindowTask {
  readonly window: EvaluationWindow;
  /** Holds the window's study (studies.db, models/) and training.json; shared by every run of its settings. */
  readonly trainDir: string;
  /** Holds this run's replays (replay-<mode>/), result.json and report.html. */
  readonly runDir: string;
  /** The study's settings; its study name, root, storage and window are set per window. */
  readonly train: TrainOptions;
  readonly modes: readonly DeploymentMode[];
  readonly simConfig: Readonly<SimConfig>;
  readonly arena: ArenaConfigInput;
  readonly scoreMargin: number;
  readonly deployerPolicy: Pick<DeployerConfigInput, 'policy' | 'protection'>;
  readonly releaseEveryMs: number;
  readonly packageVersion: string;
}

export type WindowProgress =
  | { readonly phase: 'training'; readonly done: number; readonly total: number }
  | {
      readonly phase: 'replay';
      readonly mode: DeploymentMode;
      readonly done: number;
      readonly total: number;
    };

const Nullable = z.number().nullable();
const WindowLabelSchema = z.strictObject({ from: z.string(), to: z.string(), hours: z.number() });

/** A window's training, stored when its study is complete: what a resumed run reuses. */
export const TrainingRecordSchema = z.strictObject({
  schemaVersion: z.literal(1),
  /** The settings it was trained with (compared with the current ones before it is reused). */
  settings: z.record(z.string(), z.unknown()),
  study: z.string(),
  window: WindowLabelSchema,
  complete: z.number().int(),
  pruned: z.number().int(),
  failed: z.number().int(),
  seconds: z.number(),
  best: z.strictObject({ number: z.number().int(), value: z.number() }).nullable(),
});
export type TrainingRecord = z.infer<typeof TrainingRecordSchema>;

const ModeOutcomeSchema = z.strictObject({
  mode: z.string(),
  returnPct: Nullable,
  sharpe: Nullable,
  psr: Nullable,
  maxDrawdownPct: Nullable,
  finalEquity: z.number(),
  deployments: z.number().int(),
  promotions: z.number().int(),
  refusals: z.number().int(),
  /** Model at the end of the window. */
  deployed: z.string().nullable(),
  /** Every deployment, promotion and refusal: bar close (epoch ms), kind, what and why. */
  decisions: z.array(z.strictObject({ ts: z.number(), kind: z.string(), label: z.string() })),
});

const BenchmarkSchema = z.strictObject({
  name: z.string(),
  returnPct: Nullable,
  sharpe: Nullable,
  psr: Nullable,
  maxDrawdownPct: Nullable,
  finalEquity: z.number(),
});

/** What one window produced (runs/<key>/<window>/result.json). */
export const WindowResultSchema = z.strictObject({
  schemaVersion: z.literal(1),
  index: z.number().int(),
  id: z.string(),
  window: WindowLabelSchema,
  trainWindow: WindowLabelSchema,
  training: TrainingRecordSchema.omit({ settings: true }),
  modes: z.array(ModeOutcomeSchema),
  benchmarks: z.array(BenchmarkSchema),
  /** Wall time of the replays (training: training.seconds). */
  replaySeconds: z.number(),
});
export type WindowResult = z.infer<typeof WindowResultSchema>;
export type ModeOutcome = z.infer<typeof ModeOutcomeSchema>;

export const TRAINING_FILE = 'training.json';
export const RESULT_FILE = 'result.json';
export const STUDY_NAME = 'evaluate';

/** The training settings of a window: what must match for a stored study to be reused. */
export function trainingSettings(task: Pick<WindowTask, 'train' | 'window'>): Record<string, unknown> {
  // where and how long, not what: these do not change the trials
  const {
    study: _s,
    root: _r,
    storageUrl: _u,
    fromMs: _f,
    toMs: _t,
    timeoutPerTrialS: _timeout,
    memoryPerTrialMb: _memory,
    artifacts: _artifacts,
    dataCacheDir: _cache,
    dataBounds: _bounds,
    heartbeatIntervalS: _heartbeat,
    workerId: _worker,
    ...settings
  } = task.train;
  return { ...settings, trainFromTs: task.window.trainFromTs, trainToTs: task.window.fromTs };
}

/** Reads a JSON file with its schema; StateError naming the file when it is not what it should be. */
export function readRecord<T>(path: string, schema: z.ZodType<T>): T {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw fileUnreadable(path, error);
  }
  const raw = parseJsonOr(
    path,
    text,
    (message) => new StateError('EVALUATION_FILE_CORRUPT', message, { path }),
  );
  const parsed = schema.safeParse(raw);
  if (!parsed.success)
    throw new StateError(
      'EVALUATION_FILE_CORRUPT',
      `${path}: not a file this version wrote (${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}); delete it to redo that step`,
      { path },
    );
  return parsed.data;
}

/** The stored training of a window if it was made with these settings; null when there is none. */
export function storedTraining(
  task: Pick<WindowTask, 'train' | 'window' | 'trainDir'>,
): TrainingRecord | null {
  const path = join(task.trainDir, TRAINING_FILE);
  if (!existsSync(path)) return null;
  const record = readRecord(path, TrainingRecordSchema);
  if (JSON.stringify(record.settings) !== JSON.stringify(trainingSettings(task)))
    throw new ConfigError(
      'EVALUATION_SETTINGS_CHANGED',
      `${path} was trained with other settings than this run's; use another --out, or delete ${task.trainDir} to train it again`,
      { path },
    );
  return record;
}

async function trainWindow(
  task: WindowTask,
  onProgress: (p: WindowProgress) => void,
): Promise<TrainingRecord> {
  const stored = storedTraining(task);
  if (stored) return stored;
  // an unfinished study is started again from nothing: with its seed it gives the same trials
  rmSync(task.trainDir, { recursive: true, force: true });
  mkdirSync(task.trainDir, { recursive: true });
  const options = resolveTrainOptions({
    ...task.train,
    study: STUDY_NAME,
    root: task.trainDir,
    storageUrl: 'sqlite:///studies.db',
    fromMs: task.window.trainFromTs,
    toMs: task.window.fromTs,
  });
  const storage = await openStudyStorage(options.storageUrl, { baseDir: task.trainDir });
  try {
    await storage.createStudy(STUDY_NAME, 'maximize', { loadIfExists: true });
    const run = runStudyOnWorkers(
      options,
      storage,
      new URL('../../training/workers/worker-main.js', import.meta.url),
      task.packageVersion,
      (p) => onProgress({ phase: 'training', done: p.complete + p.pruned + p.failed, total: p.requested }),
    );
    const summary = await run.done;
    const record: TrainingRecord = {
      schemaVersion: 1,
      settings: trainingSettings(task),
      study: STUDY_NAME,
      window: figureWindow(
        task.window.trainFromTs,
        task.window.fromTs,
        (task.window.from - task.window.trainFrom) * task.window.timeframeMs,
      ),
      complete: summary.complete,
      pruned: summary.pruned,
      failed: summary.failed,
      seconds: summary.seconds,
      best: summary.best,
    };
    writeFileAtomicSafeSync(join(task.trainDir, TRAINING_FILE), `${JSON.stringify(record, null, 2)}\n`);
    return record;
  } finally {
    await storage.close();
  }
}

/** A mode's outcome as the evaluation keeps it. */
function outcomeOf(r: ReplayResult): ModeOutcome {
  return {
    mode: r.mode,
    returnPct: r.returnPct,
    sharpe: r.sharpe,
    psr: r.psr,
    maxDrawdownPct: r.maxDrawdownPct,
    finalEquity: r.finalEquity,
    deployments: r.deployments,
    promotions: r.promotions,
    refusals: r.refusals,
    deployed: r.deployed,
    decisions: r.markers.map((m) => ({ ts: m.ts, kind: m.kind, label: m.label })),
  };
}

/**
 * Runs one window (see the file comment) on `history` (the whole data: bars before the window are the
 * replays' warm-up) and writes runDir/result.json and runDir/report.html. A replay left unfinished by an
 * interrupted run is started again from nothing (its arena curves before the interruption are not kept).
 */
export async function runWindow(
  task: WindowTask,
  history: MarketData,
  onProgress: (p: WindowProgress) => void = () => {},
): Promise<WindowResult> {
  mkdirSync(task.runDir, { recursive: true });
  const training = await trainWindow(task, onProgress);
  const store = await openStudyStorage('sqlite:///studies.db', { baseDir: task.trainDir });
  const trials = await rankedTrials(store, STUDY_NAME, task.trainDir);
  await store.close();
  if (trials.length === 0)
    throw new ConfigError(
      'EVALUATE_NO_TRIALS',
      `window ${task.window.id}: the study trained on ${windowLabel(training.window)} has no completed trial (${training.failed} failed, ${training.pruned} pruned); see ${task.trainDir}`,
      { window: task.window.id },
    );
  const from = indexAtOrAfter(history, task.window.fromTs);
  const to = from + (task.window.to - task.window.from);
  const started = Date.now();
  const results: ReplayResult[] = [];
  for (const mode of task.modes) {
    const root = join(task.runDir, `replay-${mode}`);
    rmSync(root, { recursive: true, force: true });
    results.push(
      await runReplay({
        root,
        history,
        from,
        to,
        mode,
        studies: [STUDY_NAME],
        // bundle paths relative to the study's folder, as the replay's workspace will find them
        trials: rebaseTrials(trials, task.trainDir, root),
        releaseEveryMs: task.releaseEveryMs,
        simConfig: task.simConfig,
        arena: task.arena,
        scoreMargin: task.scoreMargin,
        deployerPolicy: task.deployerPolicy,
        packageVersion: task.packageVersion,
        onProgress: (done, total) => onProgress({ phase: 'replay', mode, done, total }),
      }),
    );
  }
  const first = results[0]!;
  const result: WindowResult = {
    schemaVersion: 1,
    index: task.window.index,
    id: task.window.id,
    window: first.window,
    trainWindow: training.window,
    training: {
      schemaVersion: 1,
      study: training.study,
      window: training.window,
      complete: training.complete,
      pruned: training.pruned,
      failed: training.failed,
      seconds: training.seconds,
      best: training.best,
    },
    modes: results.map(outcomeOf),
    benchmarks: first.benchmarks.map((b) => ({ ...b })),
    replaySeconds: (Date.now() - started) / 1000,
  };
  writeFileAtomicSafeSync(
    join(task.runDir, 'report.html'),
    renderReplayReport(
      `window ${task.window.index + 1}: ${windowLabel(result.window)}, trained on ${windowLabel(training.window)} (${trials.length} trials)`,
      results,
    ),
  );
  writeFileAtomicSafeSync(join(task.runDir, RESULT_FILE), `${JSON.stringify(result, null, 2)}\n`);
  return result;
}
