// The rows of one file as typed columns in file order: no object per row, so millions of bars fit.
import type { BarValueColumns } from '../bar-columns.js';

/** Columns of the valid rows of one file, in file order. Index r is the r-th data row. */
export interface RowColumns extends Readonly<WritableColumns> {
  readonly length: number;
}

/** Bar fields stored as Float64 columns, in bar order. */
export const VALUE_COLUMNS = ['ts', 'open', 'high', 'low', 'close', 'volume'] as const;

/** The writable columns of a builder (replaced when it grows). */
export interface WritableColumns extends BarValueColumns {
  /** 1-based line of the row in its file. */
  line: Uint32Array;
  /** Index of the row's symbol in the file's `symbols`. */
  symbol: Uint32Array;
}

/**
 * Appends rows to growing typed columns: `next()` gives the index of a new row, the caller writes its
 * values straight into `cols` (no number passes through a call, so none is boxed), `commit()` keeps it.
 * `columns()` returns the rows kept, trimmed.
 */
export class RowColumnsBuilder {
  private n = 0;
  private cap: number;
  cols: WritableColumns;

  /** `expectedRows` sizes the first allocation (e.g. the file size over the length of its first lines). */
  constructor(expectedRows = 1024) {
    this.cap = Math.max(16, Math.ceil(expectedRows));
    this.cols = RowColumnsBuilder.allocate(this.cap);
  }

  private static allocate(cap: number): WritableColumns {
    return {
      ts: new Float64Array(cap),
      open: new Float64Array(cap),
      high: new Float64Array(cap),
      low: new Float64Array(cap),
      close: new Float64Array(cap),
      volume: new Float64Array(cap),
      line: new Uint32Array(cap),
      symbol: new Uint32Array(cap),
    };
  }

  get length(): number {
    return this.n;
  }

  /** Index of the next row; `cols` has room for it. */
  next(): number {
    if (this.n === this.cap) this.resize(this.cap * 2);
    return this.n;
  }

  /** Keeps the row written at `next()`. */
  commit(): void {
    this.n++;
  }

  /** Appends one row (already validated). */
  push(
    symbol: number,
    line: number,
    ts: number,
    open: number,
    high: number,
    low: number,
    close: number,
    volume: number,
  ): void {
    const r = this.next();
    const c = this.cols;
    c.ts[r] = ts;
    c.open[r] = open;
    c.high[r] = high;
    c.low[r] = low;
    c.close[r] = close;
    c.volume[r] = volume;
    c.line[r] = line;
    c.symbol[r] = symbol;
    this.n++;
  }

  private resize(cap: number): void {
    const next = RowColumnsBuilder.allocate(cap);
    for (const key of Object.keys(next) as (keyof WritableColumns)[])
      next[key].set(this.cols[key].subarray(0, this.n));
    this.cols = next;
    this.cap = cap;
  }

  /** The rows kept so far; copies only when much of the allocation is unused. */
  columns(): RowColumns {
    if (this.cap - this.n > 1024 && this.n < this.cap * 0.9) this.resize(this.n);
    const n = this.n;
    const c = this.cols;
    return {
      length: n,
      ts: c.ts.subarray(0, n),
      open: c.open.subarray(0, n),
      high: c.high.subarray(0, n),
      low: c.low.subarray(0, n),
      close: c.close.subarray(0, n),
      volume: c.volume.subarray(0, n),
      line: c.line.subarray(0, n),
      symbol: c.symbol.subarray(0, n),
    };
  }
}
