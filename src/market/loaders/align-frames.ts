// Aligns per-symbol series into complete frames; timestamps some symbol lacks are dropped and counted.
import { copyBarValues } from '../bar-columns.js';
import { createMarketData, type MarketData } from '../market-data.js';
import type { SeriesBySymbol, SymbolRows } from './merge-rows.js';
import type { ParsedFile } from './source-row.js';

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

/** The file every row of `c` comes from, or -1 when they come from several. */
function singleFile(c: SymbolRows): number {
  const first = c.file[0] ?? -1;
  for (let k = 1; k < c.length; k++) if (c.file[k] !== first) return -1;
  return first;
}

/** Whether every series has exactly the same timestamps (then every timestamp is a complete frame). */
function sameTimeline(columns: readonly SymbolRows[]): boolean {
  const first = columns[0]!;
  for (const c of columns) {
    if (c.length !== first.length) return false;
    if (c === first) continue;
    for (let k = 0; k < c.length; k++) if (c.ts[k] !== first.ts[k]) return false;
  }
  return true;
}

/**
 * For each complete frame (a timestamp every series has), the position of its bar in each series:
 * index[t * n + i], or null when all series have the same timestamps (frame t is element t of each).
 * Timestamps some series lacks are passed to `dropped` with the symbols present.
 */
function completeFrames(
  columns: readonly SymbolRows[],
  dropped: (ts: number, has: Uint8Array) => void,
): Uint32Array | null {
  const n = columns.length;
  // Every timestamp is a complete frame and frame t is element t of every series: no index needed.
  if (sameTimeline(columns)) return null;
  const cursor = new Uint32Array(n);
  const has = new Uint8Array(n);
  let index = new Uint32Array(Math.min(...columns.map((c) => c.length)) * n);
  let frames = 0;
  for (;;) {
    let ts = Number.POSITIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      const c = columns[i]!;
      if (cursor[i]! < c.length && c.ts[cursor[i]!]! < ts) ts = c.ts[cursor[i]!]!;
    }
    if (ts === Number.POSITIVE_INFINITY) break;
    let all = true;
    for (let i = 0; i < n; i++) {
      const c = columns[i]!;
      has[i] = cursor[i]! < c.length && c.ts[cursor[i]!] === ts ? 1 : 0;
      if (has[i] === 0) all = false;
    }
    if (all) {
      if ((frames + 1) * n > index.length) {
        const bigger = new Uint32Array(index.length * 2 + n);
        bigger.set(index);
        index = bigger;
      }
      index.set(cursor, frames * n);
      frames++;
    } else dropped(ts, has);
    for (let i = 0; i < n; i++) if (has[i]) cursor[i]!++;
  }
  return index.subarray(0, frames * n);
}

/**
 * MarketData of the timestamps at which every one of `symbols` has a bar (symbols in the given order);
 * every other timestamp of any symbol is dropped, never filled, and summarised in `incomplete`. Values
 * are copied straight from the files' columns.
 */
export function alignFrames(
  files: readonly ParsedFile[],
  series: SeriesBySymbol,
  symbols: readonly string[],
  timeframeMs: number,
): { data: MarketData; incomplete: IncompleteFrames } {
  const columns = symbols.map((s) => series.get(s)!);
  const n = columns.length;
  const examples: IncompleteFrame[] = [];
  let droppedCount = 0;
  const missingBySymbol: Record<string, number> = Object.fromEntries(symbols.map((s) => [s, 0]));
  const index = completeFrames(columns, (ts, has) => {
    const missing = symbols.filter((_, i) => has[i] === 0);
    for (const s of missing) missingBySymbol[s]!++;
    // Keep the first few and a rolling window of the last few: memory stays small for any count.
    if (examples.length === 2 * INCOMPLETE_EXAMPLES) examples.splice(INCOMPLETE_EXAMPLES, 1);
    examples.push({ ts, missing });
    droppedCount++;
  });
  const frames = index === null ? columns[0]!.length : index.length / n;
  const data = createMarketData(symbols, timeframeMs, frames);
  for (let i = 0; i < n; i++) {
    const c = columns[i]!;
    const at = (t: number) => (index === null ? t : index[t * n + i]!);
    if (i === 0) for (let t = 0; t < frames; t++) data.ts[t] = c.ts[at(t)]!;
    const only = singleFile(c);
    if (only >= 0) {
      // The usual case, one file per symbol: no file lookup per bar.
      const src = files[only]!.rows;
      for (let t = 0; t < frames; t++) {
        copyBarValues(data, t * n + i, src, c.row[at(t)]!);
      }
      continue;
    }
    for (let t = 0; t < frames; t++) {
      const e = at(t);
      copyBarValues(data, t * n + i, files[c.file[e]!]!.rows, c.row[e]!);
    }
  }
  data.length = frames;
  return {
    data,
    incomplete: {
      count: droppedCount,
      missingBySymbol,
      first: examples.slice(0, INCOMPLETE_EXAMPLES),
      last: examples.slice(Math.max(INCOMPLETE_EXAMPLES, examples.length - INCOMPLETE_EXAMPLES)),
    },
  };
}
