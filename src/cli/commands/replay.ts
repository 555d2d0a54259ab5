// `hybrid-trader replay`: the whole lifecycle on historical bars, one mode or a comparison of modes.
import { join } from 'node:path';
import type { Command } from 'commander';
import { loadWorkspaceConfig } from '../../config/workspace-config.js';
import {
  inSampleModels,
  inSampleWarning,
  refuseInSampleComparison,
  runWindowText,
} from '../../runtime/in-sample.js';
import { type ReplayResult, runReplay } from '../../runtime/replay.js';
import { comparisonConclusion } from '../../runtime/report/conclusion.js';
import {
  COMPARISON_HEADER,
  comparisonRows,
  renderReplayReport,
  textTable,
  windowLabel,
} from '../../runtime/report/replay-report.js';
import { acquireLock, refuseIfLocked } from '../../runtime/run-lock.js';
import { configureDurability, writeFileAtomicSafeSync } from '../../state/index.js';
import { rebaseTrials } from '../../training/ranked-trials.js';
import { addDataOptions, type DataFlags, resolveDataOptions } from '../data-options.js';
import { addCommitEveryOption, intOption, isoOption, listOption } from '../options.js';
import { createProgressLine } from '../progress.js';
import { ROOT_HELP, workspaceRoot } from '../root.js';
import { loadRunWindow, parseMode } from '../run-inputs.js';
import { addSimOptions, type SimFlags, simConfigFromFlags } from '../sim-options.js';
import { addStorageOptions, resolveStorage, type StorageFlags } from '../storage-options.js';
import { VERSION } from '../version.js';

interface ReplayFlags extends SimFlags, DataFlags, StorageFlags {
  data: string;
  study: string[];
  from?: number;
  to?: number;
  mode?: string;
  hybridMode?: boolean;
  compare?: string[];
  report?: string;
  allowInSample?: boolean;
  releaseEvery: number;
  commitEvery?: number;
  root?: string;
  json?: boolean;
}

export function registerReplay(program: Command): void {
  const cmd = program
    .command('replay')
    .description(
      'run deployer, paper trader and arena on historical bars (trials released at simulated times)',
    )
    .requiredOption(
      '--study <names>',
      'studies whose completed trials are deployed (comma-separated)',
      listOption('--study'),
    )
    .option('--data <file|builtin>', 'market data: file(s) or builtin[?seed=N&bars=N]', 'builtin')
    .option('--from <iso>', 'first bar replayed (earlier bars are warm-up history)', isoOption('--from'))
    .option('--to <iso>', 'end of the replay, exclusive', isoOption('--to'))
    .option(
      '--mode <mode>',
      'hybrid | training-only | arena-only | ensemble (default: hybrid.config.json, else hybrid)',
    )
    .option('--hybrid-mode', 'alias of --mode hybrid')
    .option(
      '--compare <modes>',
      'run several modes on the same bars and trials and print one table',
      listOption('--compare'),
    )
    .option('--report <file.html>', 'write a self-contained HTML report')
    .option(
      '--allow-in-sample',
      'with --compare: compare even when models were trained or validated on bars of the window (marked in-sample)',
    )
    .option(
      '--release-every <hours>',
      'one completed trial becomes available every N simulated hours',
      intOption('--release-every', 1),
      24,
    )
    .option('--root <dir>', ROOT_HELP)
    .option('--json', 'print the results as JSON');
  addStorageOptions(cmd);
  addCommitEveryOption(cmd);
  addSimOptions(cmd);
  addDataOptions(cmd);
  cmd.action(async (flags: ReplayFlags) => {
    const root = workspaceRoot(flags.root);
    // Before loading anything: the run would be refused anyway. A comparison writes its folders inside the
    // workspace and holds the workspace's lock for its whole run (each mode's loop holds its folder's too).
    let releaseRoot: (() => void) | null = null;
    if (flags.compare) releaseRoot = acquireLock(root);
    else refuseIfLocked(root);
    try {
      await replayModes(root, flags);
    } finally {
      releaseRoot?.();
    }
  });
}

async function replayModes(root: string, flags: ReplayFlags): Promise<void> {
  // A replay can always be run again: atomic renames keep it safe from kill -9; fsync (power loss) is not worth its cost here.
  configureDurability({ fsync: false });
  const config = loadWorkspaceConfig(root);
  const modes = (flags.compare ?? [flags.hybridMode ? 'hybrid' : (flags.mode ?? config.deployer.mode)]).map(
    parseMode,
  );
  const { history, from, to, trials } = await loadRunWindow(
    root,
    { ...flags, ...resolveStorage(flags, config.storage) },
    resolveDataOptions(flags, config.data, root),
  );
  // Said per model before anything runs; a comparison over such bars is refused unless allowed.
  const inSample = inSampleModels(root, trials, history, from, to);
  for (const m of inSample) process.stderr.write(`${inSampleWarning(m)}\n`);
  if (flags.compare && !flags.allowInSample)
    refuseInSampleComparison(inSample, trials.length, runWindowText(history, from, to));
  const simConfig = simConfigFromFlags(flags, config.sim);
  const progress = createProgressLine();
  const results: ReplayResult[] = [];
  for (const mode of modes) {
    const runRoot = flags.compare ? join(root, `replay-${mode}`) : root;
    const result = await runReplay({
      root: runRoot,
      history,
      from,
      to,
      mode,
      studies: flags.study,
      trials: flags.compare ? rebaseTrials(trials, root, runRoot) : trials,
      releaseEveryMs: flags.releaseEvery * 3_600_000,
      simConfig,
      arena: config.arena,
      scoreMargin: config.deployer.scoreMargin,
      deployerPolicy: { policy: config.deployer.policy, protection: config.deployer.protection },
      packageVersion: VERSION,
      commitEvery: flags.commitEvery,
      onProgress: (done, total) => progress.update(done, total, `${mode}: ${done}/${total} bars`),
    });
    progress.end();
    results.push(result);
  }
  const title = `hybrid-trader replay ${windowLabel(results[0]!.window)}: ${to - from} bars, ${trials.length} trials released one every ${flags.releaseEvery} h`;
  if (flags.report) writeFileAtomicSafeSync(flags.report, renderReplayReport(title, results));
  if (flags.json) {
    const plain = results.map(({ series: _s, markers: _m, leaderboard: _l, ...rest }) => rest);
    process.stdout.write(`${JSON.stringify(plain, null, 2)}\n`);
    return;
  }
  process.stdout.write(`${title}\n\n${textTable(COMPARISON_HEADER, comparisonRows(results))}\n`);
  if (results.length > 1) {
    const evaluate = `\`hybrid-trader evaluate --data ${flags.data.includes('?') ? `'${flags.data}'` : flags.data} --modes ${modes.join(',')}\``;
    process.stdout.write(`\n${comparisonConclusion(results, evaluate)}\n`);
  }
  if (flags.report) process.stdout.write(`\nreport: ${flags.report}\n`);
}
