// Merges the rows of all files into one ascending, duplicate-free series per symbol.
import {
  type DuplicateConflict,
  type DuplicatePolicy,
  type DuplicateSummary,
  describeConflict,
  summariseDuplicates,
} from './duplicates.js';
import { refuse } from './refusal.js';
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
  /** Every duplicate found and how it was resolved. */
  readonly duplicates: DuplicateSummary;
}

const VALUE_FIELDS = ['open', 'high', 'low', 'close', 'volume'] as const;

function sameValues(a: SourceRow, b: SourceRow): boolean {
  return VALUE_FIELDS.every((f) => a.bar[f] === b.bar[f]);
}

/**
 * Resolves one run of rows sharing a symbol and ts (file order): identical rows are dropped, rows that
 * differ are a conflict, kept by `policy` (first or last in file order) or, with `refuse`, recorded for
 * the refusal. Returns the kept row.
 */
function resolveRun(
  run: readonly SourceRow[],
  policy: DuplicatePolicy,
  counts: { identical: number; conflictingDropped: number },
  conflicts: DuplicateConflict[],
): SourceRow {
  const kept = policy === 'last' ? run[run.length - 1]! : run[0]!;
  const others = run.filter((row) => row !== kept);
  const differing = others.filter((row) => !sameValues(row, kept));
  counts.identical += others.length - differing.length;
  counts.conflictingDropped += differing.length;
  if (differing.length > 0) {
    const fields = VALUE_FIELDS.flatMap((field) => {
      // The row whose value is farthest from the kept one, so the report shows the largest difference.
      let other: SourceRow | undefined;
      for (const row of differing) {
        const gap = Math.abs(row.bar[field] - kept.bar[field]);
        if (gap > 0 && (other === undefined || gap > Math.abs(other.bar[field] - kept.bar[field])))
          other = row;
      }
      return other
        ? [{ field, column: other.columns[field], kept: kept.bar[field], dropped: other.bar[field] }]
        : [];
    });
    const dropped = differing.find((row) => row.bar[fields[0]!.field] !== kept.bar[fields[0]!.field])!;
    conflicts.push({ symbol: kept.symbol, ts: kept.bar.ts, kept: kept.at, dropped: dropped.at, fields });
  }
  return kept;
}

/**
 * Groups rows by symbol (files and lines in the given order), sorts each group by ts (stable, so rows of
 * one ts stay in file order) and resolves rows sharing a symbol and ts: identical ones are dropped
 * (the first read is kept); rows with different values are kept by `policy` (`first` or `last` in file
 * order), or, with `refuse` (the default), refused with DUPLICATE_CONFLICT counting every conflict and
 * naming the first few.
 */
export function mergeRows(files: readonly ParsedFile[], policy: DuplicatePolicy = 'refuse'): MergedSeries {
  const groups = new Map<string, SourceRow[]>();
  for (const file of files) {
    for (const row of file.rows) {
      const group = groups.get(row.symbol);
      if (group) group.push(row);
      else groups.set(row.symbol, [row]);
    }
  }
  const counts = { identical: 0, conflictingDropped: 0 };
  const conflicts: DuplicateConflict[] = [];
  const series = new Map<string, SourceRow[]>();
  for (const [symbol, rows] of groups) {
    rows.sort((a, b) => a.bar.ts - b.bar.ts);
    const unique: SourceRow[] = [];
    for (let i = 0; i < rows.length; ) {
      let j = i + 1;
      while (j < rows.length && rows[j]!.bar.ts === rows[i]!.bar.ts) j++;
      unique.push(j === i + 1 ? rows[i]! : resolveRun(rows.slice(i, j), policy, counts, conflicts));
      i = j;
    }
    series.set(symbol, unique);
  }
  if (policy === 'refuse' && conflicts.length > 0) throw conflictRefusal(conflicts);
  return {
    series,
    duplicatesDropped: counts.identical,
    duplicates: summariseDuplicates(counts, conflicts, policy),
  };
}

/** Conflicts named in the refusal's message. */
const CONFLICTS_NAMED = 3;

function conflictRefusal(conflicts: readonly DuplicateConflict[]) {
  const first = conflicts[0]!;
  const named = conflicts.slice(0, CONFLICTS_NAMED).map(describeConflict);
  const more = conflicts.length > CONFLICTS_NAMED ? `; and ${conflicts.length - CONFLICTS_NAMED} more` : '';
  const count =
    conflicts.length === 1 ? '1 conflicting duplicate' : `${conflicts.length} conflicting duplicates`;
  return refuse(
    'DUPLICATE_CONFLICT',
    first.dropped,
    first.fields[0]!.column,
    `${count} (same symbol and time, different values), e.g. ${named.join('; ')}${more}. ` +
      `Keep the first or the last row of each in file order with --on-duplicate first|last ` +
      `(or data.onDuplicate in hybrid.config.json)`,
    {
      symbol: first.symbol,
      ts: first.ts,
      conflicts: conflicts.length,
      other: { file: first.kept.file, line: first.kept.line ?? null },
    },
  );
}
