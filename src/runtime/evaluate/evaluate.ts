// The rolling out-of-sample evaluation (`hybrid-trader evaluate`): N consecutive windows, each replayed in
// every mode by models trained only on the hours before it; windows run in parallel on worker threads,
// and a finished window (or a window's finished training) is kept, so an interrupted run resumes.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { HybridTraderError } from '../../core/errors.js';
import { indexAtOrAfter, isoTs, type MarketData } from '../../market/market-data.js';
import { writeFileAtomicSafeSync } from '../../state/index.js';
import { walkForwardWindows } from '../../training/objective/index.js';
import { type EvaluationWindow, hoursAsBars, planWindows } from './plan.js';
import { type ArmResult, type ArmSummary, summariseArm, type WinCount, winCount } from './summary.js';
import { loadWindowHistory, revive, type WindowMessage } from './window-messages.js';
import {
  RESULT_FILE,
  readRecord,
  runWindow,
  storedTraining,
  type WindowProgress,
  type WindowResult,
  WindowResultSchema,
  type WindowTask,
} from './window-run.js';

export interface EvaluationOptions extends Omit<WindowTask, 'window' | 'trainDir' | 'runDir'> {
  /** The evaluation's folder: windows/<id>/ (trained studies), runs/<key>/ (replays of one configuration). */
  readonly out: string;
  readonly windows: number;
  readonly windowHours: number;
  readonly trainHours: number;
  /**
   * The last window ends at the bar before this time (epoch ms, exclusive); null or absent: at the data's
   * end. Bars from it on are never seen (neither trained on nor replayed): a later run can confirm there
   * what was chosen before it.
   */
  readonly toMs?: number | null;
  /** Windows run at once (worker threads); default the available cores. */
  readonly parallel?: number;
  /** Stops the run: running windows are abandoned (their finished parts are kept) and EVALUATION_STOPPED thrown. */
  readonly signal?: AbortSignal;
}

export interface EvaluationEvents {
  /**
   * A window starts (`cached`: its result is read from a previous run instead; `trained`: its study was
   * trained by a previous run with the same settings, only the replays run).
   */
  onWindowStart?(window: EvaluationWindow, cached: boolean, trained: boolean): void;
  onProgress?(window: EvaluationWindow, progress: WindowProgress): void;
  onWindowDone?(window: EvaluationWindow, result: WindowResult, cached: boolean, done: number): void;
}

/** An arm of the comparison: a deployment mode, a benchmark (the arena's, over the same window) or cash. */
export interface ArmRow {
  readonly name: string;
  readonly kind: 'mode' | 'benchmark' | 'cash';
  /** Per window, in time order. */
  readonly results: readonly ArmResult[];
  readonly summary: ArmSummary;
}

export interface EvaluationReport {
  readonly schemaVersion: 1;
  readonly data: string;
  /** runs/<key>: the configuration's folder (its settings.json says what the key stands for). */
  readonly runKey: string;
  readonly runDir: string;
  readonly windowHours: number;
  readonly trainHours: number;
  /** --to as given (ISO), or null: the evaluation ended at the data's end. */
  readonly to: string | null;
  readonly modes: readonly string[];
  readonly windows: readonly WindowResult[];
  readonly arms: readonly ArmRow[];
  /** For each mode and each other arm: the windows in which the mode returned more. */
  readonly beats: readonly ({ readonly arm: string; readonly other: string } & WinCount)[];
  /** Wall time of this run, and the windows it ran (the others were read from earlier runs). */
  readonly seconds: number;
  readonly windowsRun: number;
}

/** The lifecycle settings that make a run (everything after training): its folder's key. */
function lifecycleSettings(options: EvaluationOptions): Record<string, unknown> {
  return {
    modes: options.modes,
    sim: options.simConfig,
    arena: options.arena,
    scoreMargin: options.scoreMargin,
    deployer: options.deployerPolicy,
    releaseEveryMs: options.releaseEveryMs,
  };
}

const WORKER = fileURLToPath(new URL('./window-worker.js', import.meta.url));

/** Runs one window on a worker thread (in this thread when the compiled worker is absent: tests of sources). */
function runWindowTask(
  task: WindowTask,
  history: MarketData,
  onProgress: (p: WindowProgress) => void,
  signal: AbortSignal | undefined,
): Promise<WindowResult> {
  if (!existsSync(WORKER)) return runWindow(task, history, onProgress);
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, { workerData: task });
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', abort);
      fn();
    };
    const abort = () => {
      void worker.terminate();
      settle(() => reject(stopped()));
    };
    signal?.addEventListener('abort', abort, { once: true });
    worker.on('message', (message: WindowMessage) => {
      if (message.type === 'progress') onProgress(message.progress);
      else if (message.type === 'result') settle(() => resolve(message.result));
      else settle(() => reject(revive(message.error, task.window.id)));
    });
    worker.once('error', (error) => settle(() => reject(error)));
    worker.once('exit', (code) =>
      settle(() =>
        reject(new Error(`window ${task.window.id}: its worker exited with code ${code} before a result`)),
      ),
    );
  });
}

function stopped(): HybridTraderError {
  return new HybridTraderError(
    'EVALUATION_STOPPED',
    'evaluation stopped: finished windows and trained studies are kept; run the same command again to resume',
  );
}

/** The figures a mode and a benchmark both report for a window. */
function figures(r: Pick<ArmResult, 'returnPct' | 'sharpe' | 'maxDrawdownPct'>) {
  return { returnPct: r.returnPct, sharpe: r.sharpe, maxDrawdownPct: r.maxDrawdownPct };
}

/** The per-window results of each arm, its distribution, and how often each mode beat each other arm. */
export function compareArms(
  windows: readonly WindowResult[],
  modes: readonly string[],
): { arms: ArmRow[]; beats: EvaluationReport['beats'] } {
  const missing: ArmResult = { returnPct: null, sharpe: null, maxDrawdownPct: null, swaps: 0 };
  /** An arm's row: its result in each window (`missing` where it has none) and their summary. */
  const arm = (name: string, kind: ArmRow['kind'], resultIn: (w: WindowResult) => ArmResult | undefined) => {
    const results = windows.map((w) => resultIn(w) ?? missing);
    return { name, kind, results, summary: summariseArm(results) } satisfies ArmRow;
  };
  const arms: ArmRow[] = modes.map((mode) =>
    arm(mode, 'mode', (w) => {
      const m = w.modes.find((x) => x.mode === mode);
      return m && { ...figures(m), swaps: m.deployments + m.promotions };
    }),
  );
  const benchmarkNames = [...new Set(windows.flatMap((w) => w.benchmarks.map((b) => b.name)))];
  for (const name of benchmarkNames)
    arms.push(
      arm(name, 'benchmark', (w) => {
        const b = w.benchmarks.find((x) => x.name === name);
        return b && { ...figures(b), swaps: 0 };
      }),
    );
  arms.push(arm('cash', 'cash', () => ({ returnPct: 0, sharpe: null, maxDrawdownPct: 0, swaps: 0 })));
  const beats: EvaluationReport['beats'][number][] = [];
  for (const a of arms.filter((x) => x.kind === 'mode'))
    for (const b of arms)
      if (b !== a) beats.push({ arm: a.name, other: b.name, ...winCount(a.results, b.results) });
  return { arms, beats };
}

/**
 * Runs (or resumes) the evaluation: plans the windows (the last ends at the data's end), checks that each
 * window's training fits its hours and that stored studies were trained with these settings (else
 * EVALUATION_SETTINGS_CHANGED, before anything runs), then runs the windows that have no result in this
 * configuration's folder, `parallel` at a time. A window that fails lets the running ones finish, starts
 * no other, and its error is thrown (the finished windows are kept).
 */
export async function runEvaluation(
  options: EvaluationOptions,
  events: EvaluationEvents = {},
): Promise<EvaluationReport> {
  const started = Date.now();
  const history = loadWindowHistory({ train: options.train } as WindowTask);
  const plan = planWindows({
    ts: history.ts,
    timeframeMs: history.timeframeMs,
    windows: options.windows,
    windowHours: options.windowHours,
    trainHours: options.trainHours,
    end: options.toMs == null ? history.length : indexAtOrAfter(history, options.toMs),
  });
  // the study's validation must fit in the training hours: said once, here, not by every window
  walkForwardWindows(
    hoursAsBars('--train-hours', options.trainHours, history.timeframeMs),
    options.train.walkForward,
  );
  const settings = lifecycleSettings(options);
  const runKey = createHash('sha256').update(JSON.stringify(settings)).digest('hex').slice(0, 12);
  const runDir = join(options.out, 'runs', runKey);
  mkdirSync(runDir, { recursive: true });
  writeFileAtomicSafeSync(join(runDir, 'settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
  const tasks: WindowTask[] = plan.map((window) => ({
    ...options,
    window,
    trainDir: join(options.out, 'windows', window.id),
    runDir: join(runDir, window.id),
  }));
  // refuses a study trained with other settings, before anything runs
  const trained = tasks.map((task) => storedTraining(task) !== null);
  const results: (WindowResult | null)[] = tasks.map(() => null);
  let done = 0;
  const pending: number[] = [];
  for (const [k, task] of tasks.entries()) {
    const path = join(task.runDir, RESULT_FILE);
    if (!existsSync(path)) {
      pending.push(k);
      continue;
    }
    const result = readRecord(path, WindowResultSchema);
    results[k] = result;
    done++;
    events.onWindowStart?.(task.window, true, true);
    events.onWindowDone?.(task.window, result, true, done);
  }
  const parallel = Math.max(1, Math.min(options.parallel ?? availableParallelism(), pending.length || 1));
  let failure: unknown = null;
  let ran = 0;
  const runNext = async (): Promise<void> => {
    for (let k = pending.shift(); k !== undefined && failure === null; k = pending.shift()) {
      if (options.signal?.aborted) throw stopped();
      const task = tasks[k]!;
      events.onWindowStart?.(task.window, false, trained[k]!);
      try {
        const result = await runWindowTask(
          task,
          history,
          (p) => events.onProgress?.(task.window, p),
          options.signal,
        );
        results[k] = result;
        done++;
        ran++;
        events.onWindowDone?.(task.window, result, false, done);
      } catch (error) {
        failure ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: parallel }, runNext));
  if (options.signal?.aborted) throw stopped();
  if (failure !== null) throw failure;
  const windows = results as WindowResult[];
  const { arms, beats } = compareArms(windows, options.modes);
  return {
    schemaVersion: 1,
    data: options.train.data,
    runKey,
    runDir,
    windowHours: options.windowHours,
    trainHours: options.trainHours,
    to: options.toMs == null ? null : isoTs(options.toMs),
    modes: [...options.modes],
    windows,
    arms,
    beats,
    seconds: (Date.now() - started) / 1000,
    windowsRun: ran,
  };
}
