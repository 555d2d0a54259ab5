// `hybrid-trader start` / `stop`: the supervisor running deployer, paper trader and arena in one loop.
import { spawn } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { loadWorkspaceConfig } from '../../config/workspace-config.js';
import { ConfigError } from '../../core/errors.js';
import { openLifecycle } from '../../runtime/lifecycle.js';
import { createReplayFeed } from '../../runtime/replay-feed.js';
import { lockHolder } from '../../runtime/run-lock.js';
import { runSupervisor } from '../../runtime/supervisor.js';
import { scheduleReleases } from '../../runtime/trial-release.js';
import { configureDurability } from '../../state/index.js';
import { intOption, isoOption, listOption } from '../options.js';
import { ROOT_HELP, workspaceRoot } from '../root.js';
import { loadRunWindow, parseMode } from '../run-inputs.js';
import { addSimOptions, type SimFlags, simConfigFromFlags } from '../sim-options.js';
import { VERSION } from '../version.js';

interface StartFlags extends SimFlags {
  study: string[];
  data: string;
  storage: string;
  from?: number;
  to?: number;
  mode?: string;
  hybridMode?: boolean;
  releaseEvery: number;
  root?: string;
  detach?: boolean;
}

export function registerStart(program: Command): void {
  const cmd = program
    .command('start')
    .description(
      'run deployer, paper trader and arena in one supervised loop (replay feed; live feed: next release)',
    )
    .requiredOption('--study <names>', 'studies whose completed trials are deployed', listOption('--study'))
    .option('--data <file|builtin>', 'bars to run on (the replay feed)', 'builtin')
    .option('--storage <url>', 'study storage', 'sqlite:///studies.db')
    .option('--from <iso>', 'first bar', isoOption('--from'))
    .option('--to <iso>', 'end, exclusive', isoOption('--to'))
    .option(
      '--mode <mode>',
      'hybrid | training-only | arena-only | ensemble (default: hybrid.config.json, else hybrid)',
    )
    .option('--hybrid-mode', 'alias of --mode hybrid')
    .option(
      '--release-every <hours>',
      'replay: one completed trial becomes available every N hours',
      intOption('--release-every', 1),
      24,
    )
    .option('--root <dir>', ROOT_HELP)
    .option('--detach', 'run in the background (logs/supervisor.log); `stop` ends it');
  addSimOptions(cmd);
  cmd.action(async (flags: StartFlags) => {
    const root = workspaceRoot(flags.root);
    const mode = parseMode(
      flags.hybridMode ? 'hybrid' : (flags.mode ?? loadWorkspaceConfig(root).deployer.mode),
    );
    const holder = lockHolder(root);
    if (holder !== null)
      throw new ConfigError(
        'WORKSPACE_LOCKED',
        `${root} is already run by process ${holder}; stop it first`,
        { pid: holder },
      );
    if (flags.detach) {
      mkdirSync(join(root, 'logs'), { recursive: true });
      const out = openSync(join(root, 'logs', 'supervisor.log'), 'a');
      const args = process.argv.slice(1).filter((a) => a !== '--detach');
      const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', out, out] });
      child.unref();
      process.stdout.write(
        `started supervisor ${child.pid} for ${root} (logs/supervisor.log); stop with: hybrid-trader stop --root ${root}\n`,
      );
      return;
    }
    configureDurability({ fsync: false }); // the replay feed can always be run again; live keeps fsync
    const config = loadWorkspaceConfig(root);
    const { history, from, to, trials } = loadRunWindow(root, flags);
    const { trialsAt } = scheduleReleases(trials, history.ts[from]!, flags.releaseEvery * 3_600_000);
    const feed = createReplayFeed(history, from, to);
    const run = await runSupervisor({
      root,
      feed,
      lifecycle: (f) =>
        openLifecycle({
          root,
          market: f.market,
          simConfig: simConfigFromFlags(flags, config.sim),
          deployer: { mode, studies: flags.study, scoreMargin: config.deployer.scoreMargin },
          arena: config.arena,
          trialsAt,
          packageVersion: VERSION,
        }),
    });
    process.stdout.write(
      `${run.stopped ? 'stopped' : 'finished'} after ${run.frames} frame(s) in this run\n`,
    );
  });

  program
    .command('stop')
    .description('ask the running supervisor to finish its current frame and exit')
    .option('--root <dir>', ROOT_HELP)
    .action(async (flags: { root?: string }) => {
      const root = workspaceRoot(flags.root);
      const pid = lockHolder(root);
      if (pid === null) {
        process.stdout.write('no supervisor is running in this workspace\n');
        return;
      }
      process.kill(pid, 'SIGTERM');
      for (let k = 0; k < 300 && lockHolder(root) !== null; k++) await new Promise((r) => setTimeout(r, 100));
      if (lockHolder(root) !== null)
        throw new ConfigError('STOP_TIMEOUT', `process ${pid} did not stop within 30 s`);
      process.stdout.write(`stopped supervisor ${pid}\n`);
    });
}
