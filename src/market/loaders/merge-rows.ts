// Merges the rows of all files into one ascending, duplicate-free series per symbol.
import { isoTs } from '../market-data.js';
import { describeRef, refuse } from './refusal.js';
import type { ParsedFile, SourceRow } from './source-row.js';

/** Order of a file's rows, judged per symbol: newest-first files are `descending`. */
export const ROW_ORDERS = ['ascending', 'descending', 'mixed'] as const;
/** One of ROW_ORDERS. */
export type RowOrder = (typeof ROW_ORDERS)[number];

/** The order of `rows` (file order), comparing consecutive rows of the same symbol; ties are ignored. */
export function rowOrder(rows: readonly SourceRow[]): RowOrder {
  const last = new Map<string, number>();
  let up = 0;
  let down = 0;
  for (const { symbol, bar } of rows) {
    const prev = last.get(symbol);
    if (prev !== undefined && bar.ts > prev) up++;
    if (prev !== undefined && bar.ts < prev) down++;
    last.set(symbol, bar.ts);
  }
  if (down === 0) return 'ascending';
  return up === 0 ? 'descending' : 'mixed';
}

/** Rows per symbol, each strictly ascending by ts; symbols in order of first appearance. */
export interface MergedSeries {
  readonly series: ReadonlyMap<string, readonly SourceRow[]>;
  /** Rows dropped because an earlier row had the same symbol, ts and values. */
  readonly duplicatesDropped: number;
}

const VALUE_FIELDS = ['open', 'high', 'low', 'close', 'volume'] as const;

/**
 * Groups rows by symbol (files and lines in the given order), sorts each group by ts (stable), drops
 * exact duplicates (same symbol, ts and values; the first one read is kept) and refuses a conflicting
 * duplicate with DUPLICATE_CONFLICT naming both lines and the first differing field.
 */
export function mergeRows(files: readonly ParsedFile[]): MergedSeries {
  const groups = new Map<string, SourceRow[]>();
  for (const file of files) {
    for (const row of file.rows) {
      const group = groups.get(row.symbol);
      if (group) group.push(row);
      else groups.set(row.symbol, [row]);
    }
  }
  let duplicatesDropped = 0;
  const series = new Map<string, SourceRow[]>();
  for (const [symbol, rows] of groups) {
    rows.sort((a, b) => a.bar.ts - b.bar.ts);
    const unique: SourceRow[] = [];
    for (const row of rows) {
      const kept = unique[unique.length - 1];
      if (kept === undefined || kept.bar.ts !== row.bar.ts) {
        unique.push(row);
        continue;
      }
      const field = VALUE_FIELDS.find((f) => kept.bar[f] !== row.bar[f]);
      if (field === undefined) {
        duplicatesDropped++;
        continue;
      }
      throw refuse(
        'DUPLICATE_CONFLICT',
        row.at,
        row.columns[field],
        `conflicting duplicate of ${describeRef(kept.at)} (${symbol} at ${isoTs(row.bar.ts)}): ${field} ${row.bar[field]} here, ${kept.bar[field]} there`,
        { symbol, ts: row.bar.ts, other: { file: kept.at.file, line: kept.at.line ?? null } },
      );
    }
    series.set(symbol, unique);
  }
  return { series, duplicatesDropped };
}
