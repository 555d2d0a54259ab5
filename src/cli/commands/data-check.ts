// `hybrid-trader data check FILE`: (to be written) validation report of a market data file.
import type { Command } from 'commander';

export function registerDataCheck(_data: Command): void {}
