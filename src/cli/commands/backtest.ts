// `hybrid-trader backtest`: one policy through the simulator over historical (or built-in) data.
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { runBacktest } from '../../backtest/index.js';
import { loadWorkspaceConfig } from '../../config/workspace-config.js';
import { loadMarketSource } from '../../market/source.js';
import { createBuiltinPolicy, describeBuiltins } from '../../models/index.js';
import { addDataOptions, type DataFlags, resolveDataOptions } from '../data-options.js';
import { formatBacktest } from '../format.js';
import { isoOption, listOption } from '../options.js';
import { ROOT_HELP, workspaceRoot } from '../root.js';
import { addSimOptions, type SimFlags, simConfigFromFlags } from '../sim-options.js';

interface BacktestFlags extends SimFlags, DataFlags {
  root?: string;
  data?: string;
  model: string;
  symbols?: string[];
  from?: number;
  to?: number;
  timeframe?: string;
  trades?: string;
  json?: boolean;
}

export function registerBacktest(program: Command): void {
  const cmd = program
    .command('backtest')
    .description('run a policy through the simulator and print its metrics')
    .option(
      '--data <file|builtin>',
      'market data: CSV/JSON file(s), comma-separated, or builtin[?seed=N&bars=N]',
      'builtin',
    )
    .option('--model <spec>', 'policy to run (see below)', 'builtin:sma-cross')
    .option(
      '--symbols <list>',
      'trade only these symbols, in this order (comma-separated)',
      listOption('--symbols'),
    )
    .option('--from <iso>', 'first bar to trade (earlier bars still warm up indicators)', isoOption('--from'))
    .option('--to <iso>', 'end of the window, exclusive', isoOption('--to'))
    .option('--timeframe <tf>', 'bar length of file data when it cannot be inferred, e.g. 1h')
    .option('--trades <file>', 'also write every fill to this JSON-lines file')
    .option('--root <dir>', `${ROOT_HELP}; its hybrid.config.json gives the data options`)
    .option('--json', 'print the result as JSON');
  addSimOptions(cmd);
  addDataOptions(cmd);
  cmd.addHelpText(
    'after',
    `\nModels:\n  ${describeBuiltins().join('\n  ')}\n  parameters as a query: builtin:sma-cross?fast=12&slow=48`,
  );
  cmd.action((flags: BacktestFlags) => {
    const config = loadWorkspaceConfig(workspaceRoot(flags.root));
    const market = loadMarketSource(flags.data, {
      symbols: flags.symbols,
      timeframe: flags.timeframe,
      ...resolveDataOptions(flags, config.data),
    });
    const result = runBacktest({
      market,
      policy: createBuiltinPolicy(flags.model, market.symbols, market.timeframeMs),
      config: simConfigFromFlags(flags),
      fromTs: flags.from,
      toTs: flags.to,
      collectFills: flags.trades !== undefined,
    });
    if (flags.trades)
      writeFileSync(
        flags.trades,
        result.fills.map((f) => JSON.stringify(f)).join('\n') + (result.fills.length ? '\n' : ''),
      );
    const { equity: _equity, fills: _fills, ...summary } = result;
    process.stdout.write(flags.json ? `${JSON.stringify(summary, null, 2)}\n` : formatBacktest(summary));
  });
}
