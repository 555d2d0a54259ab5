// `hybrid-trader demo` (what `npm start` runs): the built-in market through every builtin policy.
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { runBacktest } from '../../backtest/index.js';
import { formatMarketCsv } from '../../market/csv-writer.js';
import { generateSyntheticMarket } from '../../market/synth.js';
import { createBuiltinPolicy } from '../../models/index.js';
import { resolveSimConfig } from '../../sim/index.js';
import { writeFileAtomicSafeSync } from '../../state/atomic-file.js';
import { fmt } from '../format.js';
import { intOption } from '../options.js';

const DEMO_MODELS = [
  'builtin:buy-and-hold',
  'builtin:equal-weight',
  'builtin:sma-cross?fast=24&slow=120',
  'builtin:sma-cross?fast=48&slow=240',
];

interface DemoFlags {
  root: string;
  seed: number;
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('run the builtin policies on the built-in synthetic market and print a comparison')
    .option('--root <dir>', 'where the demo writes its files', './demo')
    .option('--seed <n>', 'seed of the synthetic market', intOption('--seed'), 42)
    .action((flags: DemoFlags) => {
      const root = resolve(flags.root);
      const started = Date.now();
      const market = generateSyntheticMarket({ seed: flags.seed });
      const config = resolveSimConfig();
      const marketFile = join(root, 'market.csv');
      writeFileAtomicSafeSync(marketFile, formatMarketCsv(market));
      const results = DEMO_MODELS.map((model) => {
        const {
          equity: _e,
          fills: _f,
          ...summary
        } = runBacktest({
          market,
          policy: createBuiltinPolicy(model, market.symbols, market.timeframeMs),
          config,
        });
        return summary;
      });
      writeFileAtomicSafeSync(join(root, 'backtests.json'), `${JSON.stringify(results, null, 2)}\n`);
      const out = process.stdout;
      out.write(
        `hybrid-trader demo: ${market.symbols.length} symbols x ${market.length} hourly bars (synthetic, seed ${flags.seed})\n`,
      );
      out.write(
        `simulator: fee ${config.feeRate}, slippage ${config.slippageBps} bps, cap ${config.maxWeight}, `,
      );
      out.write(`reserve ${config.cashReserve}, min notional ${config.minNotional}\n\n`);
      const header = ['model', 'return %', 'Sharpe', 'Sortino', 'max DD %', 'trades'];
      const rows = results.map((r) => [
        r.model,
        fmt(r.returnPct),
        fmt(r.sharpe),
        fmt(r.sortino),
        fmt(r.maxDrawdownPct),
        String(r.trades),
      ]);
      const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c]!.length)));
      for (const row of [header, ...rows])
        out.write(
          `${row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')}\n`,
        );
      out.write(`\nwritten: ${marketFile} (try: hybrid-trader data check ${marketFile})\n`);
      out.write(`         ${join(root, 'backtests.json')}\n`);
      out.write(`done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    });
}
