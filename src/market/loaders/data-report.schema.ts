// The zod schema of the report a load produces (printed by `data check --json`); the type is inferred from it.
import { z } from 'zod';
import { DUPLICATE_POLICIES } from './duplicates.js';
import { ROW_ORDERS } from './row-order.js';
import { LAYOUTS, SYMBOL_SOURCES } from './source-row.js';
import { BarChecksSchema, SUSPICION_KINDS } from './suspicious-bars.js';

const count = z.number().int().nonnegative();
const iso = z.iso.datetime();

/** What was read from one file. */
export const FileReportSchema = z.object({
  path: z.string(),
  layout: z.enum(LAYOUTS),
  symbolSource: z.enum(SYMBOL_SOURCES),
  rowsRead: count,
  symbols: z.array(z.string()),
  garbageLinesSkipped: count,
  order: z.enum(ROW_ORDERS),
  timestampUnits: z.object({ iso: count, seconds: count, milliseconds: count }),
  ignoredColumns: z.array(z.string()),
});

/** Bars of one symbol after sorting and de-duplication, before alignment. */
export const SymbolReportSchema = z.object({ symbol: z.string(), bars: count, firstTs: iso, lastTs: iso });

/** Missing bars inside one symbol's range, `from`..`to` inclusive. */
export const GapReportSchema = z.object({ symbol: z.string(), from: iso, to: iso, missingBars: count });

const IncompleteExampleSchema = z.object({ ts: iso, missing: z.array(z.string()) });

const VALUE_FIELD = z.enum(['open', 'high', 'low', 'close', 'volume']);
const lineRef = z.object({ file: z.string(), line: z.number().int().positive().nullable() });

/** Rows sharing a symbol and a time, and how they were resolved (`--on-duplicate`). */
export const DuplicatesReportSchema = z.object({
  /** refuse | first | last: which of the differing rows of one symbol and time was kept. */
  policy: z.enum(DUPLICATE_POLICIES),
  /** Rows dropped because another row had the same symbol, time and values (= duplicatesDropped). */
  identicalDropped: count,
  /** Times (per symbol) at which rows with different values were found. */
  conflicts: count,
  /** Rows dropped by the policy because they differed from the row kept. */
  conflictingRowsDropped: count,
  /** The largest relative price difference (open, high, low, close) between a kept and a dropped row. */
  largestPriceDifference: z
    .object({
      symbol: z.string(),
      ts: iso,
      field: VALUE_FIELD,
      kept: z.number(),
      dropped: z.number(),
      /** |dropped - kept| / kept */
      relative: z.number().nonnegative(),
    })
    .nullable(),
  /** The first few conflicts: both rows and every field that differs. */
  examples: z.array(
    z.object({
      symbol: z.string(),
      ts: iso,
      kept: lineRef,
      dropped: lineRef,
      fields: z.array(z.object({ field: VALUE_FIELD, kept: z.number(), dropped: z.number() })),
    }),
  ),
});

const SuspicionSchema = z.object({
  kind: z.enum(SUSPICION_KINDS),
  symbol: z.string(),
  /** The bar (first bar of a zero-volume run). */
  ts: iso,
  /** The last bar of a zero-volume run (else = ts). */
  toTs: iso,
  file: z.string(),
  line: z.number().int().positive(),
  detail: z.string(),
});

/** Bars valid by the OHLC rules that look broken (warnings; `data check --strict` refuses them). */
export const SuspiciousReportSchema = z.object({
  checks: BarChecksSchema,
  count,
  byKind: z.object({ spike: count, forming: count, 'zero-volume': count, magnitude: count }),
  /** The first SUSPICIONS_LISTED, in symbol then time order. */
  bars: z.array(SuspicionSchema),
});

/** The report of one load: what was read, normalised, found missing and dropped. */
export const DataReportSchema = z.object({
  files: z.array(FileReportSchema),
  rowsRead: count,
  /** The symbols of the data, in frame order. */
  symbols: z.array(z.string()),
  /** Every symbol in the files, in order of first appearance (a superset of `symbols`). */
  symbolsFound: z.array(z.string()),
  timeframe: z.string(),
  timeframeMs: z.number().int().positive(),
  timeframeSource: z.enum(['option', 'inferred']),
  /** First and last complete frame. */
  firstTs: iso,
  lastTs: iso,
  frames: count,
  bars: z.array(SymbolReportSchema),
  duplicatesDropped: count,
  duplicates: DuplicatesReportSchema,
  garbageLinesSkipped: count,
  /** Number of files whose rows were newest first (sorted ascending on load). */
  reorderedNewestFirst: count,
  /** Timestamps read as epoch seconds and converted to ms. */
  secondsConverted: count,
  gaps: z.array(GapReportSchema),
  incompleteFrames: z.object({
    count,
    missingBySymbol: z.record(z.string(), count),
    first: z.array(IncompleteExampleSchema),
    last: z.array(IncompleteExampleSchema),
  }),
  /** Suspicious bars, or null when they were not looked for (only `data check` looks). */
  suspicious: SuspiciousReportSchema.nullable(),
  warnings: z.array(z.string()),
});

/** See DataReportSchema. */
export type DataReport = z.infer<typeof DataReportSchema>;
/** See DuplicatesReportSchema. */
export type DuplicatesReport = z.infer<typeof DuplicatesReportSchema>;
/** See FileReportSchema. */
export type FileReport = z.infer<typeof FileReportSchema>;
