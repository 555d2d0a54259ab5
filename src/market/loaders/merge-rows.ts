// Merges the rows of all files into one ascending, duplicate-free series per symbol (typed index arrays).
import {
  type DuplicateConflict,
  type DuplicatePolicy,
  type DuplicateSummary,
  describeConflict,
  type FieldDifference,
  summariseDuplicates,
  type ValueField,
} from './duplicates.js';
import { refuse } from './refusal.js';
import { type ParsedFile, rowRef } from './source-row.js';
import { sortedOrder } from './stable-sort.js';

/**
 * The rows of one symbol across all files, strictly ascending by ts after duplicates were resolved:
 * element k is row `row[k]` of file `file[k]` (indexes into the files given to mergeRows).
 */
export interface SymbolRows {
  readonly symbol: string;
  readonly length: number;
  readonly ts: Float64Array;
  readonly file: Uint16Array;
  readonly row: Uint32Array;
}

/** Rows per symbol, symbols in order of first appearance. */
export type SeriesBySymbol = ReadonlyMap<string, SymbolRows>;

/** Rows per symbol, each strictly ascending by ts, and what resolving duplicates did. */
export interface MergedSeries {
  readonly series: SeriesBySymbol;
  /** Rows dropped because another row had the same symbol, ts and values. */
  readonly duplicatesDropped: number;
  /** Every duplicate found and how it was resolved. */
  readonly duplicates: DuplicateSummary;
}

const VALUE_FIELDS: readonly ValueField[] = ['open', 'high', 'low', 'close', 'volume'];

/** Gathers each symbol's rows in file order (files as given, then lines). */
function groupBySymbol(
  files: readonly ParsedFile[],
): { symbol: string; file: Uint16Array; row: Uint32Array }[] {
  if (files.length > 0xffff) throw new RangeError('at most 65535 files can be loaded together');
  const ids = new Map<string, number>();
  const counts: number[] = [];
  const localToGlobal = files.map((f) =>
    Int32Array.from(f.symbols, (name) => {
      let id = ids.get(name);
      if (id === undefined) {
        id = counts.length;
        ids.set(name, id);
        counts.push(0);
      }
      return id;
    }),
  );
  files.forEach((f, i) => {
    const map = localToGlobal[i]!;
    const symbol = f.rows.symbol;
    for (let r = 0; r < f.rows.length; r++) counts[map[symbol[r]!]!]!++;
  });
  const groups = [...ids.keys()].map((symbol, id) => ({
    symbol,
    file: new Uint16Array(counts[id]!),
    row: new Uint32Array(counts[id]!),
  }));
  const fill = new Uint32Array(groups.length);
  files.forEach((f, i) => {
    const map = localToGlobal[i]!;
    const symbol = f.rows.symbol;
    for (let r = 0; r < f.rows.length; r++) {
      const g = map[symbol[r]!]!;
      const k = fill[g]!++;
      groups[g]!.file[k] = i;
      groups[g]!.row[k] = r;
    }
  });
  return groups;
}

/** Reads field `f` of element k of a group. */
function value(files: readonly ParsedFile[], file: number, row: number, field: ValueField | 'ts'): number {
  return files[file]!.rows[field][row]!;
}

/**
 * Groups rows by symbol (files and lines in the given order), sorts each group by ts (stable, so rows of
 * one ts stay in file order) and resolves rows sharing a symbol and ts: identical ones are reduced to
 * one; rows with different values are kept by `policy` (`first` or `last` in file order), or, with
 * `refuse` (the default), refused with DUPLICATE_CONFLICT counting every conflict and naming the first
 * few. Refuses before returning anything, so a refusal names all conflicts of all symbols.
 */
export function mergeRows(files: readonly ParsedFile[], policy: DuplicatePolicy = 'refuse'): MergedSeries {
  const counts = { identical: 0, conflictingDropped: 0 };
  const conflicts: DuplicateConflict[] = [];
  const series = new Map<string, SymbolRows>();
  for (const group of groupBySymbol(files)) {
    const n = group.file.length;
    const ts = new Float64Array(n);
    for (let k = 0; k < n; k++) ts[k] = value(files, group.file[k]!, group.row[k]!, 'ts');
    const order = sortedOrder(ts);
    const sorted = order === null ? { ts, file: group.file, row: group.row } : gather(order, ts, group);
    series.set(group.symbol, resolveDuplicates(files, group.symbol, sorted, policy, counts, conflicts));
  }
  if (policy === 'refuse' && conflicts.length > 0) throw conflictRefusal(conflicts);
  return {
    series,
    duplicatesDropped: counts.identical,
    duplicates: summariseDuplicates(counts, conflicts, policy),
  };
}

function gather(
  order: Uint32Array,
  ts: Float64Array,
  group: { file: Uint16Array; row: Uint32Array },
): { ts: Float64Array; file: Uint16Array; row: Uint32Array } {
  const n = order.length;
  const out = { ts: new Float64Array(n), file: new Uint16Array(n), row: new Uint32Array(n) };
  for (let k = 0; k < n; k++) {
    const j = order[k]!;
    out.ts[k] = ts[j]!;
    out.file[k] = group.file[j]!;
    out.row[k] = group.row[j]!;
  }
  return out;
}

/**
 * Keeps one element per ts (compacting the arrays in place): identical rows are dropped; for rows whose
 * values differ, the first or last in file order is kept and the conflict recorded.
 */
function resolveDuplicates(
  files: readonly ParsedFile[],
  symbol: string,
  a: { ts: Float64Array; file: Uint16Array; row: Uint32Array },
  policy: DuplicatePolicy,
  counts: { identical: number; conflictingDropped: number },
  conflicts: DuplicateConflict[],
): SymbolRows {
  const n = a.ts.length;
  let out = 0;
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (j < n && a.ts[j] === a.ts[i]) j++;
    const keep = j === i + 1 || policy !== 'last' ? i : j - 1;
    if (j > i + 1) resolveRun(files, symbol, a, i, j, keep, counts, conflicts);
    a.ts[out] = a.ts[keep]!;
    a.file[out] = a.file[keep]!;
    a.row[out] = a.row[keep]!;
    out++;
    i = j;
  }
  return {
    symbol,
    length: out,
    ts: out === n ? a.ts : a.ts.slice(0, out),
    file: out === n ? a.file : a.file.slice(0, out),
    row: out === n ? a.row : a.row.slice(0, out),
  };
}

/** Counts the rows [i, j) of one ts other than `keep` as identical or conflicting, recording a conflict. */
function resolveRun(
  files: readonly ParsedFile[],
  symbol: string,
  a: { ts: Float64Array; file: Uint16Array; row: Uint32Array },
  i: number,
  j: number,
  keep: number,
  counts: { identical: number; conflictingDropped: number },
  conflicts: DuplicateConflict[],
): void {
  const kf = a.file[keep]!;
  const kr = a.row[keep]!;
  const fields: FieldDifference[] = [];
  const farthest = new Map<ValueField, { k: number; gap: number }>();
  let firstDiffering = -1;
  for (let k = i; k < j; k++) {
    if (k === keep) continue;
    let differs = false;
    for (const field of VALUE_FIELDS) {
      const gap = Math.abs(value(files, a.file[k]!, a.row[k]!, field) - value(files, kf, kr, field));
      if (gap === 0) continue;
      differs = true;
      // The report shows, per field, the value farthest from the kept one.
      if ((farthest.get(field)?.gap ?? 0) < gap) farthest.set(field, { k, gap });
    }
    if (!differs) counts.identical++;
    else {
      counts.conflictingDropped++;
      if (firstDiffering < 0) firstDiffering = k;
    }
  }
  if (firstDiffering < 0) return;
  for (const field of VALUE_FIELDS) {
    const far = farthest.get(field);
    if (far === undefined) continue;
    fields.push({
      field,
      column: files[a.file[far.k]!]!.columns[field],
      kept: value(files, kf, kr, field),
      dropped: value(files, a.file[far.k]!, a.row[far.k]!, field),
    });
  }
  conflicts.push({
    symbol,
    ts: a.ts[keep]!,
    kept: rowRef(files[kf]!, kr),
    dropped: rowRef(files[a.file[firstDiffering]!]!, a.row[firstDiffering]!),
    fields,
  });
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
      'Keep the first or the last row of each in file order with --on-duplicate first|last ' +
      '(or data.onDuplicate in hybrid.config.json)',
    {
      symbol: first.symbol,
      ts: first.ts,
      conflicts: conflicts.length,
      other: { file: first.kept.file, line: first.kept.line ?? null },
    },
  );
}
