// Wilder's average true range, divided by the close.
import { type BarColumns, checkPeriod, type FeatureKernel } from './feature-kernel.js';
import { WilderAverage } from './wilder-average.js';

/**
 * ATR(period) / close_t. True range TR_0 = H_0 - L_0 (no previous close), then
 * TR_t = max(H - L, |H - C_{t-1}|, |L - C_{t-1}|). ATR seed = mean of TR over frames 0..period-1
 * (Wilder's book, StockCharts, trading-signals), then `atr += (TR - atr) / period`.
 * A fraction of the price, valid from frame period - 1.
 */
export class AtrKernel implements FeatureKernel {
  readonly warmUps: readonly number[];
  private readonly atr: WilderAverage;
  private prevClose = 0;

  constructor(period: number) {
    const p = checkPeriod('ATR period', period);
    this.atr = new WilderAverage(p);
    this.warmUps = [p - 1];
  }

  step(bars: BarColumns, n: number, i: number, t: number, out: Float64Array): void {
    const x = t * n + i;
    const h = bars.high[x]!;
    const l = bars.low[x]!;
    const c = bars.close[x]!;
    const atr = this.atr;
    const tr = t === 0 ? h - l : Math.max(h - l, Math.abs(h - this.prevClose), Math.abs(l - this.prevClose));
    atr.add(tr);
    this.prevClose = c;
    out[0] = atr.ready ? atr.value / c : Number.NaN;
  }
}
