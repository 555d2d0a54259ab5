// `hybrid-trader data ...`: market data utilities.
import type { Command } from 'commander';
import { registerDataCheck } from './data-check.js';
import { registerDataFetch } from './data-fetch.js';
import { registerDataSynth } from './data-synth.js';

export function registerData(program: Command): void {
  const data = program.command('data').description('market data: generate, check, fetch');
  registerDataSynth(data);
  registerDataCheck(data);
  registerDataFetch(data);
}
