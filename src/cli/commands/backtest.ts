// `hybrid-trader backtest`: (to be written).
import type { Command } from 'commander';

export function registerBacktest(_program: Command): void {}
