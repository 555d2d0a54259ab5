// Wilder's average true range, divided by the close.
import { type BarColumns, checkPeriod, type FeatureKernel } from './feature-kernel.js';

/**
 * ATR(period) / close_t. True range TR_0 = H_0 - L_0 (no previous close), then
 * TR_t = max(H - L, |H - C_{t-1}|, |L - C_{t-1}|). ATR seed = mean of TR over frames 0..period-1
 * (Wilder's book, StockCharts, trading-signals), then `atr += (TR - atr) / period`.
 * A fraction of the price, valid from frame period - 1.
 */
export class AtrKernel implements FeatureKernel {
  readonly warmUps: readonly number[];
  private readonly period: number;
  private prevClose = 0;
  private atr = 0;
  private seen = 0;

  constructor(period: number) {
    this.period = checkPeriod('ATR period', period);
    this.warmUps = [this.period - 1];
  }

  step(bars: BarColumns, n: number, i: number, t: number, out: Float64Array): void {
    const x = t * n + i;
    const h = bars.high[x]!;
    const l = bars.low[x]!;
    const c = bars.close[x]!;
    const k = this.seen++;
    const p = this.period;
    const tr = k === 0 ? h - l : Math.max(h - l, Math.abs(h - this.prevClose), Math.abs(l - this.prevClose));
    if (k < p) {
      this.atr += tr;
      if (k === p - 1) this.atr /= p;
    } else {
      this.atr += (tr - this.atr) / p;
    }
    this.prevClose = c;
    out[0] = k < p - 1 ? Number.NaN : this.atr / c;
  }
}
