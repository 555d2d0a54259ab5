// `hybrid-trader init`: writes hybrid.config.json with every default, to edit.
import type { Command } from 'commander';
import { initWorkspaceConfig } from '../../config/workspace-config.js';
import { ROOT_HELP, workspaceRoot } from '../root.js';

export function registerInit(program: Command): void {
  program
    .command('init')
    .description('write hybrid.config.json (simulator, arena, deployer) with the defaults, for editing')
    .option('--root <dir>', ROOT_HELP)
    .action((flags: { root?: string }) => {
      const path = initWorkspaceConfig(workspaceRoot(flags.root));
      process.stdout.write(`wrote ${path}\n`);
    });
}
