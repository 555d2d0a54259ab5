// The order of a file's rows and the most common spacing of each symbol's bars, found once when it is read.
import type { RowColumns } from './row-columns.js';

/** Order of a file's rows, judged per symbol: newest-first files are `descending`. */
export const ROW_ORDERS = ['ascending', 'descending', 'mixed'] as const;
/** One of ROW_ORDERS. */
export type RowOrder = (typeof ROW_ORDERS)[number];

/** Tallies spacings and gives the most common one (ties: the smallest). */
export class SpacingTally {
  private readonly counts = new Map<number, number>();
  private last = Number.NaN;
  private lastCount = 0;

  add(spacing: number): void {
    // Consecutive equal spacings (the usual case) are counted without a map lookup each.
    if (spacing === this.last) {
      this.lastCount++;
      return;
    }
    this.flush();
    this.last = spacing;
    this.lastCount = 1;
  }

  private flush(): void {
    if (this.lastCount > 0) this.counts.set(this.last, (this.counts.get(this.last) ?? 0) + this.lastCount);
    this.lastCount = 0;
  }

  /** The most common spacing, or null when none was added. */
  mode(): number | null {
    this.flush();
    let best: number | null = null;
    let bestCount = 0;
    for (const [spacing, count] of this.counts) {
      if (count > bestCount || (count === bestCount && spacing < best!)) {
        best = spacing;
        bestCount = count;
      }
    }
    return best;
  }
}

/** What settleRows found. */
export interface RowShape {
  /** The rows' order in the file (before any reversal). */
  readonly order: RowOrder;
  /** Per symbol (file's symbol index): the most common distance between its consecutive rows, or null. */
  readonly spacingsMs: (number | null)[];
}

/**
 * Judges the order of `rows` (file order, per symbol; ties ignored) and each symbol's most common
 * distance between consecutive rows. When every symbol is strictly newest first (no two rows of one
 * time), reverses the rows in place, `extra` columns too: the same rows oldest first, which spares every
 * later load a sort. Reversing is safe then: with no equal times, "first in file order" never decides.
 */
export function settleRows(rows: RowColumns, symbols: number, extra: Uint32Array[] = []): RowShape {
  const last = new Float64Array(symbols).fill(Number.NaN);
  const tallies = Array.from({ length: symbols }, () => new SpacingTally());
  const { ts, symbol, length } = rows;
  let up = 0;
  let down = 0;
  let ties = 0;
  for (let r = 0; r < length; r++) {
    const s = symbol[r]!;
    const prev = last[s]!;
    const t = ts[r]!;
    if (t > prev) up++;
    else if (t < prev) down++;
    else if (t === prev) ties++;
    const d = Math.abs(t - prev);
    if (d > 0) tallies[s]!.add(d);
    last[s] = t;
  }
  const order: RowOrder = down === 0 ? 'ascending' : up === 0 ? 'descending' : 'mixed';
  if (order === 'descending' && ties === 0)
    for (const column of [
      rows.ts,
      rows.open,
      rows.high,
      rows.low,
      rows.close,
      rows.volume,
      rows.line,
      rows.symbol,
      ...extra,
    ])
      column.reverse();
  return { order, spacingsMs: tallies.map((t) => t.mode()) };
}
