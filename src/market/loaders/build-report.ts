// Builds the plain, JSON-serialisable DataReport of one load from what each stage found.
import { msToTimeframe } from '../../core/timeframe.js';
import { isoTs, type MarketData } from '../market-data.js';
import type { IncompleteFrame, IncompleteFrames } from './align-frames.js';
import type { Gap } from './bar-spacing.js';
import type { DataReport, FileReport } from './data-report.schema.js';
import type { DuplicateSummary } from './duplicates.js';
import type { SeriesBySymbol } from './merge-rows.js';
import type { ParsedFile } from './source-row.js';
import {
  type BarChecks,
  SUSPICION_KINDS,
  SUSPICIONS_LISTED,
  type Suspicion,
  suspicionReport,
} from './suspicious-bars.js';

/** Everything a load found, before it is turned into a report. */
export interface LoadFindings {
  readonly files: readonly ParsedFile[];
  readonly series: SeriesBySymbol;
  readonly symbols: readonly string[];
  readonly timeframeSource: 'option' | 'inferred';
  readonly duplicatesDropped: number;
  readonly duplicates: DuplicateSummary;
  readonly gaps: readonly Gap[];
  readonly incomplete: IncompleteFrames;
  readonly data: MarketData;
  /** Suspicious bars, when they were looked for. */
  readonly suspicious: { readonly checks: BarChecks; readonly found: readonly Suspicion[] } | null;
}

function fileReport(file: ParsedFile): FileReport {
  return {
    path: file.file,
    layout: file.layout,
    symbolSource: file.symbolSource,
    rowsRead: file.rows.length,
    symbols: [...file.symbols],
    garbageLinesSkipped: file.garbageLinesSkipped,
    order: file.order,
    timestampUnits: { ...file.tsUnits },
    ignoredColumns: [...file.ignoredColumns],
  };
}

function fileWarnings(file: ParsedFile, report: FileReport): string[] {
  const warnings = [...file.warnings];
  if (report.order === 'mixed')
    warnings.push(`${file.file}: rows are neither oldest-first nor newest-first; sorted by timestamp`);
  if (report.timestampUnits.seconds > 0 && report.timestampUnits.milliseconds > 0)
    warnings.push(
      `${file.file}: timestamps mix epoch seconds (${report.timestampUnits.seconds}) and milliseconds (${report.timestampUnits.milliseconds}); each read by its magnitude`,
    );
  return warnings;
}

const isoExample = (f: IncompleteFrame) => ({ ts: isoTs(f.ts), missing: [...f.missing] });

/** The DataReport of a load. `data` must hold at least one frame. */
export function buildReport(findings: LoadFindings): DataReport {
  const { files, series, symbols, data, incomplete } = findings;
  const fileReports = files.map(fileReport);
  const symbolsFound = [...series.keys()];
  const unselected = symbolsFound.filter((s) => !symbols.includes(s));
  const warnings = files.flatMap((file, i) => fileWarnings(file, fileReports[i]!));
  if (unselected.length > 0) warnings.push(`symbols not selected, left out: ${unselected.join(', ')}`);
  return {
    files: fileReports,
    rowsRead: fileReports.reduce((sum, f) => sum + f.rowsRead, 0),
    symbols: [...symbols],
    symbolsFound,
    timeframe: msToTimeframe(data.timeframeMs),
    timeframeMs: data.timeframeMs,
    timeframeSource: findings.timeframeSource,
    firstTs: isoTs(data.ts[0]!),
    lastTs: isoTs(data.ts[data.length - 1]!),
    frames: data.length,
    bars: symbols.map((symbol) => {
      const rows = series.get(symbol)!;
      return {
        symbol,
        bars: rows.length,
        firstTs: isoTs(rows.ts[0]!),
        lastTs: isoTs(rows.ts[rows.length - 1]!),
      };
    }),
    duplicatesDropped: findings.duplicatesDropped,
    duplicates: findings.duplicates,
    garbageLinesSkipped: fileReports.reduce((sum, f) => sum + f.garbageLinesSkipped, 0),
    reorderedNewestFirst: fileReports.filter((f) => f.order === 'descending').length,
    secondsConverted: fileReports.reduce((sum, f) => sum + f.timestampUnits.seconds, 0),
    gaps: findings.gaps.map((g) => ({
      symbol: g.symbol,
      from: isoTs(g.from),
      to: isoTs(g.to),
      missingBars: g.missingBars,
    })),
    incompleteFrames: {
      count: incomplete.count,
      missingBySymbol: { ...incomplete.missingBySymbol },
      first: incomplete.first.map(isoExample),
      last: incomplete.last.map(isoExample),
    },
    suspicious:
      findings.suspicious === null
        ? null
        : {
            checks: { ...findings.suspicious.checks },
            count: findings.suspicious.found.length,
            byKind: Object.fromEntries(
              SUSPICION_KINDS.map((kind) => [
                kind,
                findings.suspicious!.found.filter((s) => s.kind === kind).length,
              ]),
            ) as Record<(typeof SUSPICION_KINDS)[number], number>,
            bars: findings.suspicious.found.slice(0, SUSPICIONS_LISTED).map(suspicionReport),
          },
    warnings,
  };
}
