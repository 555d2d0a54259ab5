// The timeframe of loaded series: inferred from bar spacing, the grid every bar must sit on, and the gaps.
import { msToTimeframe } from '../../core/timeframe.js';
import { isoTs } from '../market-data.js';
import { refuse } from './refusal.js';
import type { SourceRow } from './source-row.js';

/** Series of rows per symbol, each strictly ascending by ts. */
export type SeriesBySymbol = ReadonlyMap<string, readonly SourceRow[]>;

/** Missing bars inside one symbol's range: bars `from`..`to` (ms, inclusive) are absent. */
export interface Gap {
  readonly symbol: string;
  readonly from: number;
  readonly to: number;
  readonly missingBars: number;
}

/** Most common spacing between consecutive rows (ties: the smallest), or null for a single row. */
function modeSpacing(rows: readonly SourceRow[]): number | null {
  const counts = new Map<number, number>();
  for (let i = 1; i < rows.length; i++) {
    const d = rows[i]!.bar.ts - rows[i - 1]!.bar.ts;
    counts.set(d, (counts.get(d) ?? 0) + 1);
  }
  let best: number | null = null;
  for (const [spacing, count] of counts) {
    const bestCount = best === null ? 0 : counts.get(best)!;
    if (count > bestCount || (count === bestCount && spacing < best!)) best = spacing;
  }
  return best;
}

/**
 * The bar length of `symbols`: the most common positive spacing between consecutive bars of each symbol
 * (ties go to the smallest). Refuses TIMEFRAME_UNKNOWN when no symbol has two bars, TIMEFRAME_MISMATCH
 * when symbols disagree, TIMEFRAME_UNSUPPORTED when it is not a whole number of minutes.
 */
export function inferTimeframeMs(series: SeriesBySymbol, symbols: readonly string[]): number {
  const spacings = symbols.flatMap((symbol) => {
    const ms = modeSpacing(series.get(symbol)!);
    return ms === null ? [] : [{ symbol, ms, file: series.get(symbol)![0]!.at.file }];
  });
  const firstFile = series.get(symbols[0]!)![0]!.at.file;
  if (spacings.length === 0)
    throw refuse(
      'TIMEFRAME_UNKNOWN',
      { file: firstFile },
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
      `${other.symbol} bars are mostly ${other.ms} ms apart but ${first.symbol} bars ${first.ms} ms (${first.file}); pass a timeframe or load them separately`,
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
export function checkGrid(series: SeriesBySymbol, symbols: readonly string[], timeframeMs: number): void {
  const origin = Math.min(...symbols.map((s) => series.get(s)![0]!.bar.ts));
  for (const symbol of symbols) {
    for (const row of series.get(symbol)!) {
      const offset = (row.bar.ts - origin) % timeframeMs;
      if (offset !== 0)
        throw refuse(
          'BAR_MISALIGNED',
          row.at,
          row.columns.ts,
          `${symbol} bar at ${isoTs(row.bar.ts)} is not on the ${msToTimeframe(timeframeMs)} grid of the first bar ${isoTs(origin)} (${offset} ms past a grid point)`,
          { symbol, ts: row.bar.ts },
        );
    }
  }
}

/** Runs of missing bars inside each symbol's own first..last range, in symbol then time order. */
export function findGaps(series: SeriesBySymbol, symbols: readonly string[], timeframeMs: number): Gap[] {
  const gaps: Gap[] = [];
  for (const symbol of symbols) {
    const rows = series.get(symbol)!;
    for (let i = 1; i < rows.length; i++) {
      const prev = rows[i - 1]!.bar.ts;
      const next = rows[i]!.bar.ts;
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
