// The timeframe of loaded series: each file's spacing against the declared timeframe, the inferred one,
// the grid every bar must sit on, and the gaps.
import { msToTimeframe } from '../../core/timeframe.js';
import { isoTs } from '../market-data.js';
import type { SeriesBySymbol } from './merge-rows.js';
import { refuse } from './refusal.js';
import { SpacingTally } from './row-order.js';
import { type ParsedFile, rowRef } from './source-row.js';
import { timeframeFromFileName } from './symbol-name.js';

/** Missing bars inside one symbol's range: bars `from`..`to` (ms, inclusive) are absent. */
export interface Gap {
  readonly symbol: string;
  readonly from: number;
  readonly to: number;
  readonly missingBars: number;
}

/** Most common positive spacing between consecutive ts (ascending), or null for fewer than two. */
function modeSpacing(ts: Float64Array, length: number): number | null {
  const tally = new SpacingTally();
  for (let k = 1; k < length; k++) tally.add(ts[k]! - ts[k - 1]!);
  return tally.mode();
}

const tf = (ms: number) => (ms % 60_000 === 0 ? msToTimeframe(ms) : `${ms} ms`);

/**
 * Refuses TIMEFRAME_MISMATCH, naming the file, when a file's bars are not mostly one timeframe apart as
 * declared (by the `timeframe` option, else by a file-name suffix such as `-1h`), or when one symbol's
 * bars are mostly a different distance apart in two files (a 1h and a 1d file of one symbol).
 */
export function checkFileSpacings(files: readonly ParsedFile[], declaredMs: number | null): void {
  const seen = new Map<string, { ms: number; file: string }>();
  for (const file of files) {
    const spacings = file.spacingsMs;
    const named = timeframeFromFileName(file.file);
    file.symbols.forEach((symbol, s) => {
      const ms = spacings[s];
      if (ms === null || ms === undefined) return;
      if (declaredMs !== null && ms !== declaredMs)
        throw refuse(
          'TIMEFRAME_MISMATCH',
          { file: file.file },
          null,
          `${symbol} bars are mostly ${tf(ms)} apart, not the declared timeframe ${tf(declaredMs)}; pass the timeframe of the file (--timeframe ${tf(ms)})`,
          { symbol, spacingsMs: [ms, declaredMs] },
        );
      if (declaredMs === null && named !== null && ms !== named.ms)
        throw refuse(
          'TIMEFRAME_MISMATCH',
          { file: file.file },
          null,
          `${symbol} bars are mostly ${tf(ms)} apart, but the file name says ${named.text}; rename the file or pass --timeframe ${tf(ms)}`,
          { symbol, spacingsMs: [ms, named.ms] },
        );
      const other = seen.get(symbol);
      if (other !== undefined && other.ms !== ms)
        throw refuse(
          'TIMEFRAME_MISMATCH',
          { file: file.file },
          null,
          `${symbol} bars are mostly ${tf(ms)} apart here but ${tf(other.ms)} apart in ${other.file}; load one timeframe at a time`,
          { symbol, spacingsMs: [ms, other.ms], other: { file: other.file } },
        );
      if (other === undefined) seen.set(symbol, { ms, file: file.file });
    });
  }
}

/**
 * The bar length of `symbols`: the most common positive spacing between consecutive bars of each symbol
 * (ties go to the smallest). Refuses TIMEFRAME_UNKNOWN when no symbol has two bars, TIMEFRAME_MISMATCH
 * when symbols disagree, TIMEFRAME_UNSUPPORTED when it is not a whole number of minutes.
 */
export function inferTimeframeMs(
  files: readonly ParsedFile[],
  series: SeriesBySymbol,
  symbols: readonly string[],
): number {
  const fileOf = (symbol: string) => files[series.get(symbol)!.file[0]!]!.file;
  const spacings = symbols.flatMap((symbol) => {
    const rows = series.get(symbol)!;
    const ms = modeSpacing(rows.ts, rows.length);
    return ms === null ? [] : [{ symbol, ms, file: fileOf(symbol) }];
  });
  if (spacings.length === 0)
    throw refuse(
      'TIMEFRAME_UNKNOWN',
      { file: fileOf(symbols[0]!) },
      null,
      'cannot infer the timeframe from one bar per symbol; pass a timeframe such as 1h',
    );
  const first = spacings[0]!;
  const other = spacings.find((s) => s.ms !== first.ms);
  if (other)
    throw refuse(
      'TIMEFRAME_MISMATCH',
      { file: other.file },
      null,
      `${other.symbol} bars are mostly ${tf(other.ms)} apart but ${first.symbol} bars ${tf(first.ms)} (${first.file}); pass a timeframe or load them separately`,
      { symbols: [first.symbol, other.symbol], spacingsMs: [first.ms, other.ms] },
    );
  if (first.ms % 60_000 !== 0)
    throw refuse(
      'TIMEFRAME_UNSUPPORTED',
      { file: first.file },
      null,
      `${first.symbol} bars are ${first.ms} ms apart, not a whole number of minutes`,
    );
  return first.ms;
}

/**
 * Refuses (BAR_MISALIGNED, naming file, line and timestamp column) any bar of `symbols` whose ts is not a
 * whole number of timeframes after the earliest bar of all of them.
 */
export function checkGrid(
  files: readonly ParsedFile[],
  series: SeriesBySymbol,
  symbols: readonly string[],
  timeframeMs: number,
): void {
  const origin = Math.min(...symbols.map((s) => series.get(s)!.ts[0]!));
  for (const symbol of symbols) {
    const rows = series.get(symbol)!;
    for (let k = 0; k < rows.length; k++) {
      const offset = (rows.ts[k]! - origin) % timeframeMs;
      if (offset === 0) continue;
      const file = files[rows.file[k]!]!;
      throw refuse(
        'BAR_MISALIGNED',
        rowRef(file, rows.row[k]!),
        file.columns.ts,
        `${symbol} bar at ${isoTs(rows.ts[k]!)} is not on the ${msToTimeframe(timeframeMs)} grid of the first bar ${isoTs(origin)} (${offset} ms past a grid point)`,
        { symbol, ts: rows.ts[k]! },
      );
    }
  }
}

/** Runs of missing bars inside each symbol's own first..last range, in symbol then time order. */
export function findGaps(series: SeriesBySymbol, symbols: readonly string[], timeframeMs: number): Gap[] {
  const gaps: Gap[] = [];
  for (const symbol of symbols) {
    const { ts, length } = series.get(symbol)!;
    for (let k = 1; k < length; k++) {
      const prev = ts[k - 1]!;
      const next = ts[k]!;
      if (next - prev > timeframeMs)
        gaps.push({
          symbol,
          from: prev + timeframeMs,
          to: next - timeframeMs,
          missingBars: (next - prev) / timeframeMs - 1,
        });
    }
  }
  return gaps;
}
