// Bars stored as Float64 columns (aligned market data, the rows of a file): the column set, and one bar in and out.
import type { Bar } from './bar.js';

/**
 * The value columns of stored bars. Every column but `ts` is indexed by the bar's slot k; `ts` by its
 * slot in a file's rows, by its frame in MarketData (where k = t * symbols + i).
 */
export interface BarValueColumns {
  /** Bar open time, epoch ms. */
  ts: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

/** Prices and volume in columns of any numeric array (stored bars, a test's plain arrays). */
export type PriceColumns = {
  readonly [F in 'open' | 'high' | 'low' | 'close' | 'volume']: ArrayLike<number>;
};

/** The bar in slot `k` of `columns`, opened at `ts`. */
export function barFromColumns(columns: PriceColumns, k: number, ts: number): Bar {
  return {
    ts,
    open: columns.open[k]!,
    high: columns.high[k]!,
    low: columns.low[k]!,
    close: columns.close[k]!,
    volume: columns.volume[k]!,
  };
}

/** Copies the prices and volume (not `ts`) of slot `r` of `from` into slot `k` of `to`. */
export function copyBarValues(to: BarValueColumns, k: number, from: PriceColumns, r: number): void {
  to.open[k] = from.open[r]!;
  to.high[k] = from.high[r]!;
  to.low[k] = from.low[r]!;
  to.close[k] = from.close[r]!;
  to.volume[k] = from.volume[r]!;
}
