// The simulator flags every trading command shares, and their mapping onto SimConfig.
import type { Command } from 'commander';
import { resolveSimConfig, type SimConfig, type SimConfigInput } from '../sim/index.js';
import { intOption, numberOption } from './options.js';

export interface SimFlags {
  initialCash?: number;
  feeRate?: number;
  slippageBps?: number;
  minNotional?: number;
  maxWeight?: number;
  cashReserve?: number;
  rebalanceBand?: number;
  stopLoss?: number;
  trailingStop?: number;
  minHold?: number;
  maxDrawdown?: number;
  drawdownCooldown?: number;
}

/** Adds the simulator flags (defaults shown in help are the simulator's own). */
export function addSimOptions(cmd: Command): Command {
  return cmd
    .option(
      '--initial-cash <quote>',
      'starting cash, quote currency (default 10000)',
      numberOption('--initial-cash', 0),
    )
    .option(
      '--fee-rate <fraction>',
      'fee per fill as a fraction of notional (default 0.0025)',
      numberOption('--fee-rate', 0, 1),
    )
    .option(
      '--slippage-bps <bps>',
      'slippage against each trade, basis points (default 5)',
      numberOption('--slippage-bps', 0),
    )
    .option(
      '--min-notional <quote>',
      'skip orders smaller than this, quote currency (default 10)',
      numberOption('--min-notional', 0),
    )
    .option(
      '--max-weight <fraction>',
      'cap on one asset, fraction of equity (default 0.3)',
      numberOption('--max-weight', 0, 1),
    )
    .option(
      '--cash-reserve <fraction>',
      'cash kept through buys, fraction of equity (default 0.05)',
      numberOption('--cash-reserve', 0, 1),
    )
    .option(
      '--rebalance-band <fraction>',
      'skip rebalancing orders below this fraction of equity (default 0)',
      numberOption('--rebalance-band', 0, 1),
    )
    .option(
      '--stop-loss <fraction>',
      'exit at entry x (1 - f) (default off)',
      numberOption('--stop-loss', 0, 1),
    )
    .option(
      '--trailing-stop <fraction>',
      'exit at peak close x (1 - f) (default off)',
      numberOption('--trailing-stop', 0, 1),
    )
    .option(
      '--min-hold <bars>',
      'bars before the policy may reduce a new position (default 0)',
      intOption('--min-hold'),
    )
    .option(
      '--max-drawdown <fraction>',
      'liquidate at peak equity x (1 - f) (default off)',
      numberOption('--max-drawdown', 0, 1),
    )
    .option(
      '--drawdown-cooldown <bars>',
      'bars to stay flat after the drawdown stop (default 24)',
      intOption('--drawdown-cooldown'),
    );
}

/** A validated SimConfig: `base` (e.g. the workspace's configuration) overridden by the flags that were given. */
export function simConfigFromFlags(flags: SimFlags, base: SimConfigInput = {}): Readonly<SimConfig> {
  const input: SimConfigInput = {
    initialCash: flags.initialCash,
    feeRate: flags.feeRate,
    slippageBps: flags.slippageBps,
    minNotional: flags.minNotional,
    maxWeight: flags.maxWeight,
    cashReserve: flags.cashReserve,
    rebalanceBand: flags.rebalanceBand,
    overlays: {
      stopLossPct: flags.stopLoss,
      trailingStopPct: flags.trailingStop,
      minHoldBars: flags.minHold,
      maxDrawdownPct: flags.maxDrawdown,
      drawdownCooldownBars: flags.drawdownCooldown,
    },
  };
  // JSON drops the flags that were not given, so the base (the workspace's hybrid.config.json) shows through.
  const given = JSON.parse(JSON.stringify(input)) as SimConfigInput;
  return resolveSimConfig({ ...base, ...given, overlays: { ...base.overlays, ...given.overlays } });
}
