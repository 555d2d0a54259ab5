// `hybrid-trader evaluate`: the rolling out-of-sample evaluation of the deployment modes (docs/evaluate.md).
import { dirname, join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { loadWorkspaceConfig } from '../../config/workspace-config.js';
import { HybridTraderError } from '../../core/errors.js';
import type { EvaluationWindow } from '../../runtime/evaluate/plan.js';
import type { WindowProgress, WindowResult } from '../../runtime/evaluate/window-run.js';
import { configureDurability, writeFileAtomicSafeSync } from '../../state/index.js';
import { resolveTrainOptions } from '../../training/workers/train-options.js';
import { addDataOptions, type DataFlags, resolveDataOptions } from '../data-options.js';
import { intOption, isoOption, listOption } from '../options.js';
import { createProgressLine } from '../progress.js';
import { ROOT_HELP, workspaceRoot } from '../root.js';
import { parseMode } from '../run-inputs.js';
import { addSimOptions, type SimFlags, simConfigFromFlags } from '../sim-options.js';
import {
  addStudySettingsOptions,
  type StudySettingsFlags,
  studySettingsFromFlags,
} from '../training-flags.js';
import { VERSION } from '../version.js';

interface EvaluateFlags extends SimFlags, DataFlags, StudySettingsFlags {
  data: string;
  trials: number;
  windows: number;
  to?: number;
  windowHours: number;
  trainHours: number;
  modes: string[];
  out?: string;
  report?: string;
  parallel?: number;
  trainWorkers: number;
  releaseEvery: number;
  root?: string;
  json?: boolean;
}

const signed = (x: number | null) => (x === null ? 'n/a' : `${x > 0 ? '+' : ''}${x.toFixed(2)} %`);
const duration = (s: number) =>
  s < 90 ? `${Math.round(s)} s` : s < 5400 ? `${Math.round(s / 60)} min` : `${(s / 3600).toFixed(1)} h`;

function windowName(w: EvaluationWindow, total: number): string {
  return `window ${w.index + 1}/${total} (${new Date(w.fromTs).toISOString().slice(0, 13)}h)`;
}

function phaseText(p: WindowProgress): string {
  return p.phase === 'training'
    ? `training ${p.done}/${p.total}`
    : `${p.mode} ${Math.round((100 * p.done) / Math.max(1, p.total))} %`;
}

function resultLine(r: WindowResult): string {
  const arms = [
    ...r.modes.map((m) => `${m.mode} ${signed(m.returnPct)}`),
    ...r.benchmarks.map((b) => `${b.name} ${signed(b.returnPct)}`),
  ];
  return arms.join(', ');
}

export function registerEvaluate(program: Command): void {
  const cmd = program
    .command('evaluate')
    .description(
      'rolling out-of-sample evaluation: for each of N consecutive windows, train on the hours before it, replay every mode over it; the distribution per mode and how often each beat the others and the benchmarks',
    )
    .option('--data <file|builtin>', 'market data: file(s) or builtin[?seed=N&bars=N]', 'builtin')
    .option(
      '--windows <n>',
      'consecutive windows, the last ending at --to (or the data’s end)',
      intOption('--windows', 1),
      12,
    )
    .option(
      '--to <iso>',
      "the last window ends before this time; later bars are neither trained on nor replayed (default: the data's end)",
      isoOption('--to'),
    )
    .option('--window-hours <h>', 'hours per window', intOption('--window-hours', 1), 336)
    .option(
      '--train-hours <h>',
      'hours of training right before each window',
      intOption('--train-hours', 1),
      2000,
    )
    .option('--modes <modes>', 'deployment modes replayed over every window', listOption('--modes'), [
      'hybrid',
      'training-only',
      'arena-only',
      'ensemble',
    ])
    .option(
      '--out <dir>',
      'the evaluation’s folder (trained studies per window, replays per configuration); a run resumes from it (default: <root>/evaluation)',
    )
    .option(
      '--report <file.html>',
      'write a self-contained HTML report (each window’s decisions one click away)',
    )
    .option(
      '--parallel <n>',
      'windows at once, on worker threads (default: the available cores)',
      intOption('--parallel', 1),
    )
    .option(
      '--train-workers <n>',
      'worker threads of each window’s study',
      intOption('--train-workers', 1),
      1,
    )
    .option(
      '--release-every <hours>',
      'one trained model becomes available every N simulated hours of a window, as in replay',
      intOption('--release-every', 1),
      24,
    )
    .option(
      '--root <dir>',
      `${ROOT_HELP}; its hybrid.config.json (sim, arena and its gate, deployer policy) is used`,
    )
    .option('--json', 'print the evaluation as JSON on stdout');
  cmd.option('--trials <n>', 'trials of each window’s study', intOption('--trials', 1), 20);
  addStudySettingsOptions(cmd);
  addSimOptions(cmd);
  addDataOptions(cmd);
  cmd.action(async (flags: EvaluateFlags) => {
    const root = workspaceRoot(flags.root);
    const config = loadWorkspaceConfig(root);
    const modes = flags.modes.map(parseMode);
    const simConfig = simConfigFromFlags(flags, config.sim);
    const out = resolve(flags.out ?? join(root, 'evaluation'));
    const { onDuplicate, cacheDir, bounds } = resolveDataOptions(flags, config.data, root);
    // each window's study: seeded and deterministic (the same trials whatever the worker timing), in a
    // SQLite file of its own, its bundles not published anywhere
    const train = resolveTrainOptions({
      ...studySettingsFromFlags(flags),
      trials: flags.trials,
      deterministic: true,
      study: 'evaluate',
      workers: flags.trainWorkers,
      storageUrl: 'sqlite:///studies.db',
      artifacts: 'none',
      data: flags.data,
      onDuplicate,
      dataCacheDir: cacheDir ?? null,
      dataBounds: bounds,
      root: out,
      sim: simConfig,
    });
    configureDurability({ fsync: false });
    const { runEvaluation } = await import('../../runtime/evaluate/evaluate.js');
    const { renderEvaluationHtml, renderEvaluationText } = await import(
      '../../runtime/evaluate/evaluate-report.js'
    );
    const log = (line: string) => process.stderr.write(`${line}\n`);
    const progress = createProgressLine();
    const tty = process.stderr.isTTY === true;
    const running = new Map<number, string>();
    const status = () => [...running.entries()].map(([k, s]) => `w${k + 1} ${s}`).join(', ');
    const startedAt = Date.now();
    let ran = 0;
    let total = flags.windows;
    const abort = new AbortController();
    const onSignal = () => {
      log('\nstopping: the windows running now are abandoned');
      abort.abort();
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      const report = await runEvaluation(
        {
          out,
          windows: flags.windows,
          windowHours: flags.windowHours,
          trainHours: flags.trainHours,
          toMs: flags.to ?? null,
          parallel: flags.parallel,
          train,
          modes,
          simConfig,
          arena: config.arena,
          scoreMargin: config.deployer.scoreMargin,
          deployerPolicy: { policy: config.deployer.policy, protection: config.deployer.protection },
          releaseEveryMs: flags.releaseEvery * 3_600_000,
          packageVersion: VERSION,
          signal: abort.signal,
        },
        {
          onWindowStart(w, cached, trained) {
            if (cached) return;
            running.set(w.index, 'starting');
            if (!tty)
              log(
                `${windowName(w, total)}: ${trained ? 'study trained by an earlier run' : `training ${flags.trials} trials`}, then ${modes.join(', ')}`,
              );
          },
          onProgress(w, p) {
            running.set(w.index, phaseText(p));
            if (tty) progress.update(0, 1, `running: ${status()}`);
          },
          onWindowDone(w, r, cached, done) {
            running.delete(w.index);
            progress.end();
            if (cached) {
              log(`${windowName(w, total)}: done in an earlier run: ${resultLine(r)}`);
              return;
            }
            ran++;
            const perWindow = (Date.now() - startedAt) / 1000 / ran;
            const left = total - done;
            const parallel = Math.max(1, Math.min(flags.parallel ?? 2, left));
            log(
              `${windowName(w, total)} done (trained ${r.training.complete} models in ${duration(r.training.seconds)}, replays ${duration(r.replaySeconds)}): ${resultLine(r)}; ${done}/${total} windows${left > 0 ? `, about ${duration((perWindow * left) / parallel)} left` : ''}`,
            );
          },
        },
      );
      total = report.windows.length;
      if (flags.report) {
        const reportPath = resolve(flags.report);
        writeFileAtomicSafeSync(
          reportPath,
          renderEvaluationHtml(report, (k) =>
            relative(dirname(reportPath), join(report.runDir, report.windows[k]!.id, 'report.html')),
          ),
        );
      }
      if (flags.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      else {
        process.stdout.write(renderEvaluationText(report));
        process.stdout.write(
          `\n${report.windowsRun} of ${report.windows.length} windows run now in ${duration(report.seconds)}; results in ${report.runDir}${flags.report ? `; report: ${flags.report}` : ''}\n`,
        );
      }
    } catch (error) {
      progress.end();
      if (error instanceof HybridTraderError && error.code === 'EVALUATION_STOPPED') {
        log(error.message);
        process.exitCode = 130;
        return;
      }
      throw error;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  });
}
