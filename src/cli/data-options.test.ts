import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DATA_CONFIG } from '../market/data-config.js';
import { DEFAULT_BOUNDS } from '../market/loaders/suspicious-bars.js';
import { registerCommands } from './commands/index.js';
import { resolveDataOptions } from './data-options.js';

function allCommands(cmd: Command): Command[] {
  return [cmd, ...cmd.commands.flatMap(allCommands)];
}

const path = (cmd: Command): string => (cmd.parent ? `${path(cmd.parent)} ${cmd.name()}` : cmd.name());

describe('data options', () => {
  it('every command that reads market data takes --on-duplicate', async () => {
    const program = new Command('hybrid-trader');
    await registerCommands(program);
    const reading = allCommands(program).filter(
      (c) => c.options.some((o) => o.long === '--data') || path(c) === 'hybrid-trader data check',
    );
    expect(reading.length).toBeGreaterThanOrEqual(6);
    for (const c of reading)
      expect(
        c.options.some((o) => o.long === '--on-duplicate'),
        `${path(c)} lacks --on-duplicate`,
      ).toBe(true);
  });

  it('resolves a flag over the configuration over the default refuse', () => {
    const config = { ...DEFAULT_DATA_CONFIG, onDuplicate: 'last' as const };
    expect(resolveDataOptions({})).toEqual({ onDuplicate: 'refuse', bounds: DEFAULT_BOUNDS });
    expect(resolveDataOptions({}, config)).toMatchObject({ onDuplicate: 'last' });
    expect(resolveDataOptions({ onDuplicate: 'first' }, config)).toMatchObject({ onDuplicate: 'first' });
  });

  it('uses the cache folder of the workspace unless the flag or the configuration turns it off', () => {
    expect(resolveDataOptions({}, DEFAULT_DATA_CONFIG, '/w')).toEqual({
      onDuplicate: 'refuse',
      bounds: DEFAULT_BOUNDS,
      cacheDir: '/w/cache/market',
    });
    expect(resolveDataOptions({ dataCache: false }, DEFAULT_DATA_CONFIG, '/w')).not.toHaveProperty(
      'cacheDir',
    );
    expect(resolveDataOptions({}, { ...DEFAULT_DATA_CONFIG, cache: false }, '/w')).not.toHaveProperty(
      'cacheDir',
    );
  });

  it('takes the magnitude bounds of data.checks, so every command refuses the same bars', () => {
    const checks = { ...DEFAULT_DATA_CONFIG.checks, maxPrice: 1e12, spikeDeviations: 9 };
    expect(resolveDataOptions({}, { ...DEFAULT_DATA_CONFIG, checks }).bounds).toEqual({
      minPrice: 1e-10,
      maxPrice: 1e12,
      maxVolume: 1e15,
    });
  });
});
