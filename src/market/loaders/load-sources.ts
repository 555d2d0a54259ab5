// The loading pipeline on parsed files: merge, timeframe, grid, gaps, frames, report (no I/O).
import { ConfigError } from '../../core/errors.js';
import { timeframeToMs } from '../../core/timeframe.js';
import type { MarketData } from '../market-data.js';
import { alignFrames } from './align-frames.js';
import { checkFileSpacings, checkGrid, findGaps, inferTimeframeMs } from './bar-spacing.js';
import { buildReport } from './build-report.js';
import { parseCsvFile } from './csv-loader.js';
import type { DataReport } from './data-report.schema.js';
import { DUPLICATE_POLICIES, type DuplicatePolicy } from './duplicates.js';
import { parseJsonFile } from './json-loader.js';
import { mergeRows } from './merge-rows.js';
import { refuse } from './refusal.js';
import type { ParsedFile } from './source-row.js';
import {
  type BarChecks,
  DEFAULT_BOUNDS,
  findSuspiciousBars,
  type PlausibleBounds,
  refuseImplausibleBars,
} from './suspicious-bars.js';

/** Options of a load; the same object the `data check` flags become. */
export interface LoadMarketOptions {
  /** Symbols to keep, in this order (default: every symbol, in order of first appearance). */
  readonly symbols?: readonly string[];
  /** Symbol of a single file that names none (no symbol column, top-level JSON array). */
  readonly symbol?: string;
  /** Bar length such as "1h" (default: inferred from the bar spacing). */
  readonly timeframe?: string;
  /** Rows of one symbol and time with different values: refuse (default), keep the first or the last. */
  readonly onDuplicate?: DuplicatePolicy;
  /**
   * Look for suspicious bars with these thresholds (`data check`): bars outside the magnitude bounds are
   * then reported, not refused. Without it such a bar is refused (BAR_IMPLAUSIBLE).
   */
  readonly checks?: BarChecks;
  /** The magnitude bounds of a load without `checks` (default: DEFAULT_BOUNDS). */
  readonly bounds?: PlausibleBounds;
}

/** One file's path (as the user gave it, used in messages) and its text. */
export interface MarketSource {
  readonly path: string;
  readonly text: string;
}

/** Aligned market data and the report of how it was obtained. */
export interface LoadedMarket {
  readonly data: MarketData;
  readonly report: DataReport;
}

/** Refuses bad options (ConfigError) before any file is read. */
export function checkLoadOptions(paths: readonly string[], options: LoadMarketOptions): void {
  if (paths.length === 0) throw new ConfigError('FILES_MISSING', 'at least one market data file is needed');
  if (options.symbol !== undefined && paths.length > 1)
    throw new ConfigError(
      'SYMBOL_OPTION_AMBIGUOUS',
      `symbol names the symbol of a single file, but ${paths.length} files were given; name files like BTC_USDT-1h.csv instead`,
      { symbol: options.symbol },
    );
  if (options.onDuplicate !== undefined && !DUPLICATE_POLICIES.includes(options.onDuplicate))
    throw new ConfigError(
      'DUPLICATE_POLICY_INVALID',
      `onDuplicate must be one of ${DUPLICATE_POLICIES.join(', ')}, was "${String(options.onDuplicate)}"`,
    );
  if (options.timeframe !== undefined) timeframeToMs(options.timeframe);
  const symbols = options.symbols ?? [];
  const repeated = symbols.find((s, i) => symbols.indexOf(s) !== i);
  if (symbols.length === 0 && options.symbols !== undefined)
    throw new ConfigError('SYMBOLS_EMPTY', 'symbols must name at least one symbol');
  if (repeated !== undefined)
    throw new ConfigError('SYMBOLS_DUPLICATE', `symbols must be unique, ${repeated} appears twice`, {
      symbols,
    });
}

/** Whether a file's first non-blank character makes it JSON (`[` or `{`); CSV otherwise. */
export function isJsonStart(char: string): boolean {
  return char === '[' || char === '{';
}

/** Parses one file's text: JSON when it starts with `[` or `{`, CSV otherwise. */
export function parseSource(source: MarketSource, symbol: string | undefined): ParsedFile {
  const text = source.text.replace(/^\uFEFF/, '');
  const start = text.trimStart()[0];
  if (start === undefined) throw refuse('FILE_EMPTY', { file: source.path }, null, 'the file is empty');
  return isJsonStart(start)
    ? parseJsonFile(source.path, text, symbol)
    : parseCsvFile(source.path, text, symbol);
}

/**
 * Loads market data from file contents (JSON when the text starts with `[` or `{`, CSV otherwise).
 * Normalises what needs no guessing and refuses the rest with a DataError naming file, line and field;
 * bad options are ConfigErrors. See docs/market-data.md for the rules.
 */
export function loadMarketSources(
  sources: readonly MarketSource[],
  options: LoadMarketOptions = {},
): LoadedMarket {
  checkLoadOptions(
    sources.map((s) => s.path),
    options,
  );
  return loadParsedFiles(
    sources.map((source) => parseSource(source, options.symbol)),
    options,
  );
}

/** The pipeline after parsing: duplicates, timeframe, grid, gaps, frames and the report. */
export function loadParsedFiles(files: readonly ParsedFile[], options: LoadMarketOptions = {}): LoadedMarket {
  const declaredMs = options.timeframe === undefined ? null : timeframeToMs(options.timeframe);
  checkFileSpacings(files, declaredMs);
  const { series, duplicatesDropped, duplicates } = mergeRows(files, options.onDuplicate ?? 'refuse');
  const found = [...series.keys()];
  const symbols = options.symbols ?? found;
  const allPaths = { file: files.map((f) => f.file).join(', ') };
  for (const symbol of symbols) {
    if (!series.has(symbol))
      throw refuse(
        'SYMBOL_NOT_FOUND',
        allPaths,
        null,
        `symbol ${symbol} is not in the data (found ${found.join(', ')})`,
        { symbol },
      );
  }
  if (options.checks === undefined)
    refuseImplausibleBars(files, series, symbols, options.bounds ?? DEFAULT_BOUNDS);
  const timeframeMs = declaredMs ?? inferTimeframeMs(files, series, symbols);
  checkGrid(files, series, symbols, timeframeMs);
  const { data, incomplete } = alignFrames(files, series, symbols, timeframeMs);
  if (data.length === 0)
    throw refuse(
      'NO_COMPLETE_FRAMES',
      allPaths,
      null,
      `no timestamp has a bar for every symbol (${symbols.join(', ')})`,
    );
  const report = buildReport({
    files,
    series,
    symbols,
    timeframeSource: options.timeframe === undefined ? 'inferred' : 'option',
    duplicatesDropped,
    duplicates,
    gaps: findGaps(series, symbols, timeframeMs),
    incomplete,
    data,
    suspicious:
      options.checks === undefined
        ? null
        : { checks: options.checks, found: findSuspiciousBars(files, series, symbols, options.checks) },
  });
  return { data, report };
}
