// `hybrid-trader demo` (what `npm start` runs): trains a study on the built-in market, then replays the
// whole lifecycle in every mode on the following weeks, and prints what happened and where the files are.
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { ConfigError } from '../../core/errors.js';
import { DEPLOYMENT_HISTORY_FILE, HistoryEntrySchema } from '../../lifecycle/deployer/index.js';
import { isoTs } from '../../market/market-data.js';
import { generateSyntheticMarket } from '../../market/synth.js';
import { type ReplayResult, runReplay } from '../../runtime/replay.js';
import { comparisonConclusion } from '../../runtime/report/conclusion.js';
import {
  COMPARISON_HEADER,
  comparisonRows,
  renderReplayReport,
  textTable,
} from '../../runtime/report/replay-report.js';
import { acquireLock, refuseIfLocked } from '../../runtime/run-lock.js';
import { resolveSimConfig } from '../../sim/index.js';
import { configureDurability, readJournal, writeFileAtomicSafeSync } from '../../state/index.js';
import { rankedTrials, rebaseTrials } from '../../training/ranked-trials.js';
import { openStudyStorage } from '../../training/storage/index.js';
import { runStudyOnWorkers } from '../../training/workers/coordinator.js';
import { resolveTrainOptions } from '../../training/workers/train-options.js';
import { intOption } from '../options.js';
import { createProgressLine } from '../progress.js';
import { VERSION } from '../version.js';

const MARKER = '.hybrid-trader-demo';
const MODES = ['hybrid', 'training-only', 'arena-only', 'ensemble'] as const;

interface DemoFlags {
  root: string;
  seed: number;
  trials: number;
  trainBars: number;
  replayBars: number;
}

/**
 * The demo owns its folder: it refuses a non-empty folder it did not create, or one a running demo (or any
 * loop on one of its mode folders) holds, and starts afresh in its own. Returns the release of the folder's
 * lock, held for the whole demo.
 */
function prepareRoot(root: string): () => void {
  if (existsSync(root) && readdirSync(root).length > 0) {
    if (!existsSync(join(root, MARKER)))
      throw new ConfigError(
        'DEMO_ROOT_NOT_EMPTY',
        `${root} is not empty and was not made by the demo; choose another --root (the demo never writes over a workspace)`,
      );
    for (const dir of [root, ...MODES.map((mode) => join(root, mode))]) refuseIfLocked(dir);
    rmSync(root, { recursive: true, force: true });
  }
  mkdirSync(root, { recursive: true });
  writeFileSync(
    join(root, MARKER),
    'created by hybrid-trader demo; deleted and rewritten by the next demo run\n',
  );
  return acquireLock(root);
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('train a study on the built-in market, replay the lifecycle in every mode, print a summary')
    .option('--root <dir>', 'folder the demo owns (refused if it holds anything else)', './demo')
    .option('--seed <n>', 'seed of the synthetic market', intOption('--seed'), 7)
    .option('--trials <n>', 'trials of the demo study', intOption('--trials', 1), 24)
    .option(
      '--train-bars <n>',
      'hours of history the study trains and validates on',
      intOption('--train-bars', 500),
      4000,
    )
    .option(
      '--replay-bars <n>',
      'hours replayed after the training history',
      intOption('--replay-bars', 24),
      2400,
    )
    .action(async (flags: DemoFlags) => {
      const started = Date.now();
      const root = resolve(flags.root);
      const release = prepareRoot(root);
      try {
        await runDemo(root, flags, started);
      } finally {
        release();
      }
    });
}

async function runDemo(root: string, flags: DemoFlags, started: number): Promise<void> {
  configureDurability({ fsync: false });
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const total = flags.trainBars + flags.replayBars;
  const history = generateSyntheticMarket({ seed: flags.seed, bars: total });
  log(`market: ${history.symbols.length} synthetic symbols x ${total} hourly bars (seed ${flags.seed})`);

  // 1. the study trains on the first trainBars only: the replayed weeks are unseen by every model
  const options = resolveTrainOptions({
    study: 'demo',
    trials: flags.trials,
    workers: 2,
    kind: 'any',
    storageUrl: 'sqlite:///studies.db',
    data: `builtin?seed=${flags.seed}&bars=${flags.trainBars}`,
    root,
    seed: flags.seed,
    ppoSteps: 4096,
    walkForward: { folds: 4, validationBars: 168, embargoBars: 24 },
  });
  const storage = await openStudyStorage(options.storageUrl, { baseDir: root });
  await storage.createStudy('demo', 'maximize', { loadIfExists: true });
  const progress = createProgressLine();
  const run = runStudyOnWorkers(
    options,
    storage,
    new URL('../../training/workers/worker-main.js', import.meta.url),
    VERSION,
    (p) => {
      const done = p.complete + p.pruned + p.failed;
      progress.update(
        done,
        p.requested,
        `training: ${done}/${p.requested} trials, best ${p.best ? p.best.value.toFixed(3) : 'n/a'}`,
      );
    },
  );
  const study = await run.done;
  progress.end();
  const trials = await rankedTrials(storage, 'demo', root);
  await storage.close();
  log(
    `trained ${study.complete} models (${study.pruned} pruned, ${study.failed} failed) in ${study.seconds.toFixed(1)} s`,
  );

  // 2. the lifecycle in every mode on the same bars and the same trial stream
  const simConfig = resolveSimConfig();
  const results: ReplayResult[] = [];
  for (const mode of MODES) {
    results.push(
      await runReplay({
        root: join(root, mode),
        history,
        from: flags.trainBars,
        to: total,
        mode,
        studies: ['demo'],
        trials: rebaseTrials(trials, root, join(root, mode)),
        releaseEveryMs: 24 * 3_600_000,
        simConfig,
        packageVersion: VERSION,
        onProgress: (done, all) => progress.update(done, all, `replay ${mode}: ${done}/${all} bars`),
      }),
    );
    progress.end();
  }
  const title = `hybrid-trader demo: replay ${isoTs(history.ts[flags.trainBars]!)} .. ${isoTs(history.ts[total - 1]!)} (${flags.replayBars} h, ${trials.length} trials released one a day)`;
  const report = join(root, 'report.html');
  writeFileAtomicSafeSync(report, renderReplayReport(title, results));

  // 3. the summary
  const out = (line = '') => process.stdout.write(`${line}\n`);
  out();
  out(title);
  out();
  out('What the hybrid deployer decided, and why:');
  const decisions = readJournal(join(root, 'hybrid', DEPLOYMENT_HISTORY_FILE), HistoryEntrySchema).entries;
  for (const e of decisions.slice(0, 25))
    out(`  ${e.at.slice(0, 16)}  ${e.action.padEnd(7)} ${(e.modelId ?? '').padEnd(9)} ${e.reason}`);
  if (decisions.length > 25)
    out(`  ... ${decisions.length - 25} more in ${join(root, 'hybrid', DEPLOYMENT_HISTORY_FILE)}`);
  out();
  out('Arena leaderboard at the end (hybrid):');
  out(results[0]!.leaderboard);
  out();
  out(textTable(COMPARISON_HEADER, comparisonRows(results)));
  out();
  // as many two-week windows (up to 12) as the demo's bars hold after 2,000 h of training
  const trainHours = Math.min(2000, flags.trainBars);
  const windows = Math.max(1, Math.min(12, Math.floor((total - trainHours) / 336)));
  const evaluate = `\`hybrid-trader evaluate --data 'builtin?seed=${flags.seed}&bars=${total}' --windows ${windows} --window-hours 336 --train-hours ${trainHours}\``;
  out(comparisonConclusion(results, evaluate));
  out();
  out(`state files: ${join(root, '<mode>')}/{deployments,paper_trades,arena_state,logs}`);
  out(`study: ${join(root, 'studies.db')} (Optuna schema), models: ${join(root, 'models')}`);
  out(`report: ${report}`);
  out(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}
