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
    if (market !== this.market || t >= this.computed) this.extend(market, t);
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
    // Sum every frame the market has now, not just up to t: later sums are never read for decision t,
    // and one batch keeps the per-bar cost to a bounds check.
    const end = Math.max(t + 1, market.length);
    if ((end + 1) * n > this.sums.length) {
      const bigger = new Float64Array(Math.max((end + 1) * n, this.sums.length * 2));
      bigger.set(this.sums);
      this.sums = bigger;
    }
    const close = market.close;
    const sums = this.sums;
    // Row-major layout makes "the same symbol one frame later" exactly n slots on: one flat loop.
    for (let k = this.computed * n, stop = end * n; k < stop; k++) sums[k + n] = sums[k]! + close[k]!;
    this.computed = end;
  }
}
