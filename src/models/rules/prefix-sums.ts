// Causal running sums of closes, so moving averages cost O(1) per bar and give identical values however
// the bars are visited (the sums always start at frame 0 and add in order).
import type { MarketData } from '../../market/market-data.js';

export class ClosePrefixSums {
  private market: MarketData | null = null;
  /** sums[(k) * n + i] = close of symbol i summed over frames [0, k). */
  private sums = new Float64Array(0);
  private computed = 0;

  /** Mean close of symbol i over frames (t - window, t]; requires t >= window - 1. Reads nothing after t. */
  mean(market: MarketData, i: number, t: number, window: number): number {
    this.extend(market, t);
    const n = market.symbols.length;
    return (this.sums[(t + 1) * n + i]! - this.sums[(t + 1 - window) * n + i]!) / window;
  }

  private extend(market: MarketData, t: number): void {
    const n = market.symbols.length;
    if (market !== this.market) {
      this.market = market;
      this.computed = 0;
      this.sums = new Float64Array(Math.max(2, market.length + 1) * n);
    }
    if (t < this.computed) return;
    if ((t + 2) * n > this.sums.length) {
      const bigger = new Float64Array(Math.max((t + 2) * n, this.sums.length * 2));
      bigger.set(this.sums);
      this.sums = bigger;
    }
    const close = market.close;
    const sums = this.sums;
    for (let k = this.computed; k <= t; k++) {
      for (let i = 0; i < n; i++) sums[(k + 1) * n + i] = sums[k * n + i]! + close[k * n + i]!;
    }
    this.computed = t + 1;
  }
}
