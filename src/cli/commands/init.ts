// `hybrid-trader init`: writes hybrid.config.json with every default, to edit.
import type { Command } from 'commander';
import { initWorkspaceConfig } from '../../config/workspace-config.js';
import { refuseIfLocked } from '../../runtime/run-lock.js';
import { ROOT_HELP, workspaceRoot } from '../root.js';

export function registerInit(program: Command): void {
  program
    .command('init')
    .description('write hybrid.config.json (simulator, arena, deployer) with the defaults, for editing')
    .option('--root <dir>', ROOT_HELP)
    .action((flags: { root?: string }) => {
      const root = workspaceRoot(flags.root);
      refuseIfLocked(root); // a running loop would not read the file it writes
      const path = initWorkspaceConfig(root);
      process.stdout.write(`wrote ${path}\n`);
    });
}
