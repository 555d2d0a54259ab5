import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMAND_MODULES, registerCommands } from './index.js';

const names = (program: Command) => program.commands.map((c) => c.name());

describe('command registration', () => {
  it('lists, for each module, exactly the top-level commands it registers', async () => {
    for (const module of COMMAND_MODULES) {
      const program = new Command();
      (await module.load())(program);
      expect(names(program)).toEqual(module.names);
    }
  });

  it('registers only the command named, and every command for help or an unknown name', async () => {
    const one = new Command();
    await registerCommands(one, ['backtest', '--data', 'x.csv']);
    expect(names(one)).toEqual(['backtest']);
    const arena = new Command();
    await registerCommands(arena, ['arena', 'status']);
    expect(names(arena)).toEqual(['status', 'arena', 'promote']);
    for (const args of [[], ['--help'], ['bakctest']]) {
      const all = new Command();
      await registerCommands(all, args);
      expect(names(all)).toEqual(COMMAND_MODULES.flatMap((m) => m.names));
    }
  });
});
