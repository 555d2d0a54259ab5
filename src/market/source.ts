// Resolves a `--data` value to market data: the built-in synthetic market or files on disk.
import { ConfigError } from '../core/errors.js';
import { timeframeToMs } from '../core/timeframe.js';
import { type DataReport, loadMarketFiles } from './load-market.js';
import type { DuplicatePolicy } from './loaders/duplicates.js';
import type { PlausibleBounds } from './loaders/suspicious-bars.js';
import { type MarketData, selectSymbols } from './market-data.js';
import { generateSyntheticMarket } from './synth.js';

/** The spec that means "the built-in synthetic market with its defaults". */
export const BUILTIN_DATA = 'builtin';

export interface MarketSourceOptions {
  /** Keep only these symbols, in this order. */
  symbols?: readonly string[];
  /** Timeframe of file data when it cannot be inferred (e.g. "1h"). */
  timeframe?: string;
  /** Rows of one symbol and time with different values: refuse (default), keep the first or the last. */
  onDuplicate?: DuplicatePolicy;
  /** Folder of the binary cache of parsed files (none when absent). */
  cacheDir?: string;
  /** Bars outside these bounds are refused (default: DEFAULT_BOUNDS, those of `data.checks`). */
  bounds?: PlausibleBounds;
}

/**
 * Market data for a spec: `builtin` (default) or `builtin?seed=7&bars=2000` for the synthetic market,
 * otherwise one path or a comma-separated list of paths (CSV or JSON, see docs/market-data.md).
 * Throws ConfigError for a bad builtin parameter, DataError for data the loader refuses.
 */
export function loadMarketSource(spec: string | undefined, options: MarketSourceOptions = {}): MarketData {
  return loadMarketSourceWithReport(spec, options).data;
}

/** loadMarketSource plus the loader's report (null for the built-in market). */
export function loadMarketSourceWithReport(
  spec: string | undefined,
  options: MarketSourceOptions = {},
): { data: MarketData; report: DataReport | null } {
  const source = spec ?? BUILTIN_DATA;
  if (source === BUILTIN_DATA || source.startsWith(`${BUILTIN_DATA}?`)) {
    const data = generateSyntheticMarket(builtinOptions(source, options.timeframe));
    return { data: options.symbols ? selectSymbols(data, options.symbols) : data, report: null };
  }
  const paths = source.split(',').map((s) => s.trim());
  // The loader selects the symbols itself, so unwanted symbols never cost a frame.
  return loadMarketFiles(paths, {
    timeframe: options.timeframe,
    symbols: options.symbols,
    onDuplicate: options.onDuplicate,
    cacheDir: options.cacheDir,
    bounds: options.bounds,
  });
}

function builtinOptions(spec: string, timeframe: string | undefined) {
  const params = new URLSearchParams(spec.slice(BUILTIN_DATA.length + 1));
  const out: { seed?: number; bars?: number; timeframeMs?: number } = {};
  for (const [key, value] of params) {
    if (key !== 'seed' && key !== 'bars')
      throw new ConfigError(
        'DATA_SPEC_INVALID',
        `unknown parameter "${key}" in --data ${spec}; use seed and bars`,
        {
          spec,
        },
      );
    const n = Number(value);
    if (!Number.isInteger(n))
      throw new ConfigError(
        'DATA_SPEC_INVALID',
        `${key} in --data ${spec} must be an integer, was "${value}"`,
        {
          spec,
        },
      );
    out[key] = n;
  }
  if (timeframe) out.timeframeMs = timeframeToMs(timeframe);
  return out;
}
