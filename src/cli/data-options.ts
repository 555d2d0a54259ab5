// The market-data flags every command that reads data shares (--on-duplicate, --no-data-cache), resolved
// over the config in one place, and the one load that says on stderr when a requested window was trimmed.
import { join } from 'node:path';
import { type Command, Option } from 'commander';
import type { DataConfig } from '../market/data-config.js';
import { DUPLICATE_POLICIES, type DuplicatePolicy } from '../market/loaders/duplicates.js';
import { boundsOf, DEFAULT_BOUNDS, type PlausibleBounds } from '../market/loaders/suspicious-bars.js';
import type { MarketData } from '../market/market-data.js';
import { loadMarketSourceWithReport, type MarketSourceOptions } from '../market/source.js';
import { type RequestedWindow, windowWarnings } from '../market/window-warnings.js';

/** The data flags as commander parses them. */
export interface DataFlags {
  onDuplicate?: DuplicatePolicy;
  /** false with --no-data-cache. */
  dataCache?: boolean;
}

/** The options of a load that come from flags and configuration. */
export interface ResolvedDataOptions {
  readonly onDuplicate: DuplicatePolicy;
  /** <root>/cache/market, or undefined when the cache is off (or no root is known). */
  readonly cacheDir?: string;
  /** Bars outside these bounds are refused (`data.checks` of the configuration, else the defaults). */
  readonly bounds: PlausibleBounds;
}

/** Adds --on-duplicate and --no-data-cache (defaults from the `data` section of hybrid.config.json). */
export function addDataOptions(cmd: Command): Command {
  return cmd
    .addOption(
      new Option(
        '--on-duplicate <policy>',
        'rows of one symbol and time with different values: refuse, or keep the first or last in file order (default: data.onDuplicate of hybrid.config.json, else refuse)',
      ).choices(DUPLICATE_POLICIES),
    )
    .option(
      '--no-data-cache',
      'parse the data files without reading or writing the binary cache in <root>/cache/market',
    );
}

/** The cache folder of a workspace. */
export function marketCacheDir(root: string): string {
  return join(root, 'cache', 'market');
}

/** Flags over the `data` section of the configuration (itself over the defaults). */
export function resolveDataOptions(
  flags: DataFlags,
  config?: DataConfig,
  root?: string,
): ResolvedDataOptions {
  const onDuplicate = flags.onDuplicate ?? config?.onDuplicate ?? 'refuse';
  const cache = flags.dataCache !== false && (config?.cache ?? true) && root !== undefined;
  const bounds = boundsOf(config?.checks ?? DEFAULT_BOUNDS);
  return cache ? { onDuplicate, bounds, cacheDir: marketCacheDir(root) } : { onDuplicate, bounds };
}

/**
 * Loads `--data` and writes a `warning:` line on stderr for each way the data trims `window` (symbols
 * starting or ending on other dates, frames missing inside it): a command never runs on fewer frames
 * than asked without saying so.
 */
export function loadCommandData(
  spec: string | undefined,
  options: MarketSourceOptions,
  window: RequestedWindow = {},
  warn: (line: string) => void = (line) => process.stderr.write(line),
): MarketData {
  const { data, report } = loadMarketSourceWithReport(spec, options);
  for (const warning of windowWarnings(data, report, window)) warn(`warning: ${warning}\n`);
  return data;
}
