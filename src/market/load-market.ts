// Loads market data files from disk into aligned MarketData plus a report of what was normalised.
import { readFileSync } from 'node:fs';
import {
  type LoadedMarket,
  type LoadMarketOptions,
  loadMarketSources,
  type MarketSource,
} from './loaders/index.js';
import { refuse } from './loaders/refusal.js';

export {
  type DataReport,
  DataReportSchema,
  type LoadedMarket,
  type LoadMarketOptions,
} from './loaders/index.js';

function readSource(path: string): MarketSource {
  try {
    return { path, text: readFileSync(path, 'utf8') };
  } catch (error) {
    throw refuse(
      'FILE_UNREADABLE',
      { file: path },
      null,
      `cannot read the file: ${(error as Error).message}`,
    );
  }
}

/**
 * Reads `paths` (CSV or JSON, see docs/market-data.md) and returns the complete frames of their symbols
 * with a JSON-serialisable report. Synchronous: meant for files of up to a few years of hourly bars.
 * Throws a DataError naming file, line and field for data it refuses, a ConfigError for bad options.
 */
export function loadMarketFiles(paths: readonly string[], options: LoadMarketOptions = {}): LoadedMarket {
  return loadMarketSources(paths.map(readSource), options);
}
