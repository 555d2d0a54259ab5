// `hybrid-trader backtest`: one policy through the simulator over historical (or built-in) data.
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { runBacktest } from '../../backtest/index.js';
import { loadWorkspaceConfig } from '../../config/workspace-config.js';
import { ConfigError } from '../../core/errors.js';
import { indexAtOrAfter, type MarketData } from '../../market/market-data.js';
import { createBuiltinPolicy, describeBuiltins, type Policy } from '../../models/index.js';
import { inSampleModels, inSampleWarning } from '../../runtime/in-sample.js';
import { addDataOptions, type DataFlags, loadCommandData, resolveDataOptions } from '../data-options.js';
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
  decisions?: string;
  json?: boolean;
}

/**
 * A `builtin:` spec's policy, or the policy of the bundle folder at `spec` (any kind, checked against the
 * market) with the folder (a builtin has none: it was never trained).
 */
async function policyFor(
  spec: string,
  market: MarketData,
  root: string,
): Promise<{ policy: Policy; dir: string | null }> {
  if (spec.startsWith('builtin:'))
    return { policy: createBuiltinPolicy(spec, market.symbols, market.timeframeMs), dir: null };
  const { loadModelBundle } = await import('../../models/bundle/index.js');
  const dir = resolve(spec);
  return { policy: loadModelBundle(dir, market, { modelsRoot: join(root, 'models') }).policy, dir };
}

/** Whether the bundle at `dir` was trained or validated on bars of the window [fromTs, toTs). */
function inSampleOfWindow(dir: string, market: MarketData, fromTs?: number, toTs?: number) {
  const from = fromTs === undefined ? 0 : indexAtOrAfter(market, fromTs);
  const to = toTs === undefined ? market.length : indexAtOrAfter(market, toTs);
  return inSampleModels(dir, [{ modelPath: dir }], market, from, to)[0];
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
    .option(
      '--model <spec|path>',
      'policy to run: a builtin (see below) or the folder of any model bundle (rule, ppo, ensemble, onnx)',
      'builtin:sma-cross',
    )
    .option(
      '--symbols <list>',
      'trade only these symbols, in this order (comma-separated)',
      listOption('--symbols'),
    )
    .option('--from <iso>', 'first bar to trade (earlier bars still warm up indicators)', isoOption('--from'))
    .option('--to <iso>', 'end of the window, exclusive', isoOption('--to'))
    .option('--timeframe <tf>', 'bar length of file data when it cannot be inferred, e.g. 1h')
    .option('--trades <file>', 'also write every fill to this JSON-lines file')
    .option(
      '--decisions <file.npy>',
      'also write, per bar, the weights the policy saw and the targets it wrote (.npy; columns in <name>.json)',
    )
    .option('--root <dir>', `${ROOT_HELP}; its hybrid.config.json gives the data options`)
    .option('--json', 'print the result as JSON');
  addSimOptions(cmd);
  addDataOptions(cmd);
  cmd.addHelpText(
    'after',
    `\nModels:\n  ${describeBuiltins().join('\n  ')}\n  parameters as a query: builtin:sma-cross?fast=12&slow=48`,
  );
  cmd.action(async (flags: BacktestFlags) => {
    if (flags.decisions !== undefined && !flags.decisions.endsWith('.npy'))
      throw new ConfigError(
        'OUTPUT_NAME_INVALID',
        `--decisions must name a .npy file, was "${flags.decisions}"`,
      );
    const root = workspaceRoot(flags.root);
    const config = loadWorkspaceConfig(root);
    const market = loadCommandData(
      flags.data,
      { symbols: flags.symbols, timeframe: flags.timeframe, ...resolveDataOptions(flags, config.data, root) },
      { fromTs: flags.from, toTs: flags.to },
    );
    const { policy, dir } = await policyFor(flags.model, market, root);
    const result = runBacktest({
      market,
      policy,
      config: simConfigFromFlags(flags),
      fromTs: flags.from,
      toTs: flags.to,
      collectFills: flags.trades !== undefined,
      collectDecisions: flags.decisions !== undefined,
    });
    if (flags.trades)
      writeFileSync(
        flags.trades,
        result.fills.map((f) => JSON.stringify(f)).join('\n') + (result.fills.length ? '\n' : ''),
      );
    if (flags.decisions && result.decisions) {
      const { encodeNpy } = await import('../../features/index.js');
      const { columns, rows, count } = result.decisions;
      const base = flags.decisions.slice(0, -'.npy'.length);
      writeFileSync(flags.decisions, encodeNpy(rows, [count, columns.length]));
      writeFileSync(
        `${base}.json`,
        `${JSON.stringify({ model: result.model, columns, rows: count }, null, 2)}\n`,
      );
    }
    // Run after the backtest: a window it refused needs no warning.
    const inSample = dir === null ? null : (inSampleOfWindow(dir, market, flags.from, flags.to) ?? null);
    if (inSample) process.stderr.write(`${inSampleWarning(inSample)}\n`);
    const { equity: _equity, fills: _fills, decisions: _decisions, ...summary } = result;
    process.stdout.write(
      flags.json ? `${JSON.stringify({ ...summary, inSample }, null, 2)}\n` : formatBacktest(summary),
    );
  });
}
