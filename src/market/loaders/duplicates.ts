// Rows that share a symbol and a time: the policy that resolves them and the summary the report shows.
import { isoTs } from '../market-data.js';
import type { DuplicatesReport } from './data-report.schema.js';
import { describeRef, type SourceRef } from './refusal.js';

/**
 * What to do with rows of one symbol and time whose values differ: `refuse` (the default) stops the
 * load naming them, `first` / `last` keep the first / last such row in the files' own row order (files
 * in the order given, then lines). Identical rows are always reduced to one.
 */
export const DUPLICATE_POLICIES = ['refuse', 'first', 'last'] as const;
/** One of DUPLICATE_POLICIES. */
export type DuplicatePolicy = (typeof DUPLICATE_POLICIES)[number];

/** Bar fields compared between duplicates. */
export type ValueField = 'open' | 'high' | 'low' | 'close' | 'volume';

/** One differing field of a conflict: its column as written in the file, the kept and the other value. */
export interface FieldDifference {
  readonly field: ValueField;
  readonly column: string;
  readonly kept: number;
  readonly dropped: number;
}

/** Rows of one symbol and ts whose values differ: the row kept (or first, when refused) and another. */
export interface DuplicateConflict {
  readonly symbol: string;
  readonly ts: number;
  readonly kept: SourceRef;
  /** The first other row that differs from the kept one. */
  readonly dropped: SourceRef;
  /** Fields that differ between the kept row and another row of the run (the farthest value), in bar order. */
  readonly fields: readonly FieldDifference[];
}

/** How duplicates were resolved (see DuplicatesReportSchema). */
export type DuplicateSummary = DuplicatesReport;

/** Conflicts listed in the report. */
export const CONFLICT_EXAMPLES = 3;

const PRICE_FIELDS: readonly ValueField[] = ['open', 'high', 'low', 'close'];

const lineRef = (at: SourceRef) => ({ file: at.file, line: at.line ?? null });

/** The report's summary of the duplicates one load found and how `policy` resolved them. */
export function summariseDuplicates(
  counts: { readonly identical: number; readonly conflictingDropped: number },
  conflicts: readonly DuplicateConflict[],
  policy: DuplicatePolicy,
): DuplicateSummary {
  let largest: DuplicateSummary['largestPriceDifference'] = null;
  for (const c of conflicts) {
    for (const d of c.fields) {
      if (!PRICE_FIELDS.includes(d.field)) continue;
      const relative = Math.abs(d.dropped - d.kept) / d.kept;
      if (largest === null || relative > largest.relative)
        largest = {
          symbol: c.symbol,
          ts: isoTs(c.ts),
          field: d.field,
          kept: d.kept,
          dropped: d.dropped,
          relative,
        };
    }
  }
  return {
    policy,
    identicalDropped: counts.identical,
    conflicts: conflicts.length,
    conflictingRowsDropped: policy === 'refuse' ? 0 : counts.conflictingDropped,
    largestPriceDifference: largest,
    examples: conflicts.slice(0, CONFLICT_EXAMPLES).map((c) => ({
      symbol: c.symbol,
      ts: isoTs(c.ts),
      kept: lineRef(c.kept),
      dropped: lineRef(c.dropped),
      fields: c.fields.map(({ field, kept, dropped }) => ({ field, kept, dropped })),
    })),
  };
}

/** "BTC/USDT 2024-01-01T06:00:00.000Z (a.csv line 8 vs line 9): close 42500 vs 42510" */
export function describeConflict(c: DuplicateConflict): string {
  const other =
    c.dropped.file === c.kept.file && c.dropped.line !== undefined
      ? `line ${c.dropped.line}${c.dropped.row === undefined ? '' : ` (row ${c.dropped.row})`}`
      : describeRef(c.dropped);
  const values = c.fields.map((d) => `${d.column} ${d.kept} vs ${d.dropped}`).join(', ');
  return `${c.symbol} ${isoTs(c.ts)} (${describeRef(c.kept)} vs ${other}): ${values}`;
}
