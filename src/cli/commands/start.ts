// `hybrid-trader start` / `stop`, and the services alone: `paper`, `arena run`, `deployer [--once]`.
import type { Command } from 'commander';
import { loadWorkspaceConfig } from '../../config/workspace-config.js';
import { ConfigError } from '../../core/errors.js';
import { lockHolder } from '../../runtime/run-lock.js';
import { intOption } from '../options.js';
import { ROOT_HELP, workspaceRoot } from '../root.js';
import { addServiceOptions, runServiceCommand, type ServiceFlags } from '../service-command.js';

interface StartFlags extends ServiceFlags {
  serve?: boolean;
  host?: string;
  port?: number;
}

export function registerStart(program: Command): void {
  const start = program
    .command('start')
    .description(
      'run deployer, paper trader and arena in one supervised loop on a replay feed (--data) or live bars (--live); optionally the trainer (--train) and the dashboard (--serve)',
    )
    .option(
      '--train',
      'also train: rounds of trials on a rolling window of the latest bars (hybrid.config.json trainer)',
    )
    .option('--serve', 'also serve the REST API and dashboard (hybrid.config.json server, or --host/--port)')
    .option('--host <address>', 'with --serve: address to bind (default 127.0.0.1)')
    .option('--port <n>', 'with --serve: port (0 = any free one)', intOption('--port', 0));
  addServiceOptions(start).action(async (flags: StartFlags) => {
    const server = loadWorkspaceConfig(workspaceRoot(flags.root)).server;
    await runServiceCommand(flags, ['paper', 'arena', 'deployer'], {
      train: flags.train,
      serve: flags.serve ? { host: flags.host ?? server.host, port: flags.port ?? server.port } : null,
    });
  });

  addServiceOptions(
    program
      .command('paper')
      .description('run the paper trader alone on the feed (its deployed model; no deployments, no arena)'),
  ).action((flags: ServiceFlags) => runServiceCommand(flags, ['paper']));

  addServiceOptions(
    program
      .command('deployer')
      .description('run the auto deployer alone on the feed, or one cycle with --once')
      .option('--once', 'one cycle at the last frame the paper trader applied, then exit'),
  ).action(async (flags: ServiceFlags & { once?: boolean }) => {
    if (flags.once) {
      const { runDeployerOnce } = await import('./deployer-once.js');
      await runDeployerOnce(flags);
    } else await runServiceCommand(flags, ['deployer']);
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

/** `arena run`: the arena alone (its members and the champion's shadow; no offers, no deployments). */
export function registerArenaRun(arena: Command): void {
  addServiceOptions(
    arena
      .command('run')
      .description('run the arena alone on the feed (its members; no new offers, no deployments)'),
  ).action((flags: ServiceFlags) => runServiceCommand(flags, ['arena']));
}
