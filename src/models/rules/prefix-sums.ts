// Causal running sums of a per-bar series (closes, log returns, squared log returns), so window means
// cost O(1) per bar and give identical values however the bars are visited: the sums always start at
// frame 0 and add in order.
import type { MarketData } from '../../market/market-data.js';

/** The value of symbol i at frame t that is summed; may read frames <= t only. */
export type SeriesValue = (market: MarketData, t: number, i: number) => number;

export const closeValue: SeriesValue = (m, t, i) => m.close[t * m.symbols.length + i]!;

/** 1-bar log return of the close (0 at frame 0). */
export const logReturnValue: SeriesValue = (m, t, i) => {
  const n = m.symbols.length;
  return t === 0 ? 0 : Math.log(m.close[t * n + i]! / m.close[(t - 1) * n + i]!);
};

export const squaredLogReturnValue: SeriesValue = (m, t, i) => logReturnValue(m, t, i) ** 2;

export class PrefixSums {
  private readonly value: SeriesValue;
  private market: MarketData | null = null;
  /** sums[k * n + i] = value of symbol i summed over frames [0, k). */
  private sums = new Float64Array(0);
  private computed = 0;

  constructor(value: SeriesValue = closeValue) {
    this.value = value;
  }

  /** Sum of symbol i's values over frames (t - window, t]; requires t >= window - 1. Reads nothing after t. */
  sum(market: MarketData, i: number, t: number, window: number): number {
    if (market !== this.market || t >= this.computed) this.extend(market, t);
    const n = market.symbols.length;
    return this.sums[(t + 1) * n + i]! - this.sums[(t + 1 - window) * n + i]!;
  }

  /** Mean of symbol i's values over frames (t - window, t]. */
  mean(market: MarketData, i: number, t: number, window: number): number {
    return this.sum(market, i, t, window) / window;
  }

  /**
   * Whether symbol i's mean over the last `a` frames exceeds its mean over the last `b` (both ending at t):
   * `mean(.., a) > mean(.., b)`, bit for bit. One call that returns a boolean, because a call V8 does not
   * inline boxes every double it returns (a heap allocation per bar in a policy's hot loop).
   */
  meanAbove(market: MarketData, i: number, t: number, a: number, b: number): boolean {
    if (market !== this.market || t >= this.computed) this.extend(market, t);
    const n = market.symbols.length;
    const sums = this.sums;
    const end = sums[(t + 1) * n + i]!;
    return (end - sums[(t + 1 - a) * n + i]!) / a > (end - sums[(t + 1 - b) * n + i]!) / b;
  }

  private extend(market: MarketData, t: number): void {
    const n = market.symbols.length;
    if (market !== this.market) {
      this.market = market;
      this.computed = 0;
      this.sums = new Float64Array(Math.max(2, market.length + 1) * n);
    }
    if (t < this.computed) return;
    // Sum every frame the market has now, not just up to t: later sums are never read for decision t,
    // and one batch keeps the per-bar cost to a bounds check.
    const end = Math.max(t + 1, market.length);
    if ((end + 1) * n > this.sums.length) {
      const bigger = new Float64Array(Math.max((end + 1) * n, this.sums.length * 2));
      bigger.set(this.sums);
      this.sums = bigger;
    }
    const sums = this.sums;
    if (this.value === closeValue) {
      // One symbol at a time with the running total in a local: reading it back from `sums` each frame
      // would chain every addition through a store and a load (about twice as slow); same additions.
      const close = market.close;
      for (let i = 0; i < n; i++) {
        let total = sums[this.computed * n + i]!;
        for (let k = this.computed * n + i, stop = end * n; k < stop; k += n) {
          total += close[k]!;
          sums[k + n] = total;
        }
      }
    } else {
      for (let k = this.computed; k < end; k++) {
        for (let i = 0; i < n; i++) sums[(k + 1) * n + i] = sums[k * n + i]! + this.value(market, k, i);
      }
    }
    this.computed = end;
  }
}
