// `hybrid-trader data synth`: (to be written) the built-in synthetic market.
import type { Command } from 'commander';

export function registerDataSynth(_data: Command): void {}
