// Aligns per-symbol series into complete frames; timestamps some symbol lacks are dropped and counted.
import type { Bar } from '../bar.js';
import { appendFrame, createMarketData, type MarketData } from '../market-data.js';
import type { SeriesBySymbol } from './bar-spacing.js';

/** Number of example timestamps kept at each end of the dropped list. */
export const INCOMPLETE_EXAMPLES = 3;

/** One dropped timestamp and the symbols that had no bar there. */
export interface IncompleteFrame {
  readonly ts: number;
  readonly missing: readonly string[];
}

/** Timestamps dropped because not every symbol had a bar there. */
export interface IncompleteFrames {
  readonly count: number;
  /** For each symbol, how many of the dropped timestamps it lacked. */
  readonly missingBySymbol: Readonly<Record<string, number>>;
  /** The first few dropped timestamps, oldest first. */
  readonly first: readonly IncompleteFrame[];
  /** The last few (not repeating `first`). */
  readonly last: readonly IncompleteFrame[];
}

/**
 * MarketData of the timestamps at which every one of `symbols` has a bar (symbols in the given order);
 * every other timestamp of any symbol is dropped, never filled, and summarised in `incomplete`.
 */
export function alignFrames(
  series: SeriesBySymbol,
  symbols: readonly string[],
  timeframeMs: number,
): { data: MarketData; incomplete: IncompleteFrames } {
  const columns = symbols.map((s) => series.get(s)!);
  const allTs = [...new Set(columns.flatMap((rows) => rows.map((r) => r.bar.ts)))].sort((a, b) => a - b);
  const data = createMarketData(symbols, timeframeMs, Math.min(...columns.map((rows) => rows.length)));
  const cursor = symbols.map(() => 0);
  const dropped: IncompleteFrame[] = [];
  const missingBySymbol: Record<string, number> = Object.fromEntries(symbols.map((s) => [s, 0]));
  for (const ts of allTs) {
    const bars: Bar[] = [];
    const missing: string[] = [];
    columns.forEach((rows, i) => {
      const row = rows[cursor[i]!];
      if (row !== undefined && row.bar.ts === ts) {
        bars.push(row.bar);
        cursor[i]!++;
      } else missing.push(symbols[i]!);
    });
    if (missing.length === 0) appendFrame(data, ts, bars);
    else {
      dropped.push({ ts, missing });
      for (const s of missing) missingBySymbol[s]!++;
    }
  }
  return {
    data,
    incomplete: {
      count: dropped.length,
      missingBySymbol,
      first: dropped.slice(0, INCOMPLETE_EXAMPLES),
      last: dropped.slice(Math.max(INCOMPLETE_EXAMPLES, dropped.length - INCOMPLETE_EXAMPLES)),
    },
  };
}
