// The parsed form of one market file: its valid rows as typed columns, and what was noticed reading it.
import type { Bar } from '../bar.js';
import { barFromColumns } from '../bar-columns.js';
import type { SourceRef } from './refusal.js';
import type { RowColumns } from './row-columns.js';
import type { RowOrder } from './row-order.js';

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

/** How many timestamps were written as ISO text, epoch seconds and epoch milliseconds. */
export interface TimestampUnits {
  readonly iso: number;
  readonly seconds: number;
  readonly milliseconds: number;
}

/** A parsed file: its valid rows in file order plus what was noticed while reading it. */
export interface ParsedFile {
  /** The path as the user gave it (used in messages). */
  readonly file: string;
  readonly layout: Layout;
  readonly symbolSource: SymbolSource;
  /** The file's symbols in order of first appearance; `rows.symbol` indexes this. */
  readonly symbols: readonly string[];
  readonly rows: RowColumns;
  readonly columns: ColumnNames;
  readonly tsUnits: TimestampUnits;
  /** JSON files: each row's 1-based position within its array, for messages; null for CSV. */
  readonly rowNumbers: Uint32Array | null;
  readonly garbageLinesSkipped: number;
  readonly ignoredColumns: readonly string[];
  readonly warnings: readonly string[];
  /** The rows' order in the file; newest-first rows without repeated times are stored oldest first. */
  readonly order: RowOrder;
  /** Per symbol (as `symbols`): the most common distance between its consecutive rows in ms, or null. */
  readonly spacingsMs: readonly (number | null)[];
}

/** Where row r of `file` was read: its line (and JSON row number). */
export function rowRef(file: ParsedFile, r: number): SourceRef {
  const line = file.rows.line[r]!;
  return file.rowNumbers === null
    ? { file: file.file, line }
    : { file: file.file, line, row: file.rowNumbers[r]! };
}

/** Row r of `file` as an object (tests, messages; the loaders work on the columns). */
export function rowAt(file: ParsedFile, r: number): { symbol: string; bar: Bar; at: SourceRef } {
  const { rows } = file;
  return {
    symbol: file.symbols[rows.symbol[r]!]!,
    bar: barFromColumns(rows, r, rows.ts[r]!),
    at: rowRef(file, r),
  };
}

/** Every row of `file` as objects (tests). */
export function fileRows(file: ParsedFile): { symbol: string; bar: Bar; at: SourceRef }[] {
  return Array.from({ length: file.rows.length }, (_, r) => rowAt(file, r));
}
