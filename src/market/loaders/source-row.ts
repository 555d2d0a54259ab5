// A validated bar as read from one line of one file, and the parsed form of a whole file.
import { type Bar, barProblem } from '../bar.js';
import { readNumber, readTimestamp, type TimestampUnit } from './field-values.js';
import { refuse, type SourceRef } from './refusal.js';

/** The file layouts the loaders recognise. */
export const LAYOUTS = ['csv', 'csv-long', 'cryptodatadownload', 'ccxt-json', 'ccxt-json-by-symbol'] as const;
/** One of LAYOUTS. */
export type Layout = (typeof LAYOUTS)[number];

/** Where a file's symbol names came from: a column, the `symbol` option, the file name or JSON keys. */
export const SYMBOL_SOURCES = ['column', 'option', 'file-name', 'json-key'] as const;
/** One of SYMBOL_SOURCES. */
export type SymbolSource = (typeof SYMBOL_SOURCES)[number];

/** The name, in the file, of the column holding each bar field (used in messages). */
export type ColumnNames = Readonly<Record<keyof Bar, string>>;

/** One valid bar with its symbol, where it was read, and how its timestamp was written. */
export interface SourceRow {
  readonly symbol: string;
  readonly bar: Bar;
  readonly at: SourceRef;
  readonly tsUnit: TimestampUnit;
  /** Column names of the row's file, to name fields in later refusals. */
  readonly columns: ColumnNames;
}

/** A parsed file: its rows in file order plus what was noticed while reading it. */
export interface ParsedFile {
  readonly file: string;
  readonly layout: Layout;
  readonly symbolSource: SymbolSource;
  readonly rows: readonly SourceRow[];
  readonly garbageLinesSkipped: number;
  readonly ignoredColumns: readonly string[];
  readonly warnings: readonly string[];
}

/** Raw cell values of one row, keyed by bar field (strings from CSV, anything from JSON). */
export type RawCells = Readonly<Record<keyof Bar, unknown>>;

/**
 * Reads and validates one row: each field parsed (see readNumber, readTimestamp), then the bar checked
 * with `barProblem`. Throws a DataError naming the file, line and the column of the failing field.
 */
export function buildRow(symbol: string, cells: RawCells, at: SourceRef, columns: ColumnNames): SourceRow {
  const { ts, unit } = readTimestamp(cells.ts, at, columns.ts);
  const bar: Bar = {
    ts,
    open: readNumber(cells.open, at, columns.open),
    high: readNumber(cells.high, at, columns.high),
    low: readNumber(cells.low, at, columns.low),
    close: readNumber(cells.close, at, columns.close),
    volume: readNumber(cells.volume, at, columns.volume),
  };
  const problem = barProblem(bar);
  if (problem) {
    // barProblem names the failing bar field first ("high must be >= low, ...").
    const field = problem.split(' ', 1)[0] as keyof Bar;
    throw refuse('BAR_INVALID', at, columns[field] ?? field, problem, { symbol });
  }
  return { symbol, bar, at, tsUnit: unit, columns };
}
