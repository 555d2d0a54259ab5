// Commodity channel index of the typical price (Lambert).
import { type BarColumns, checkPeriod, type FeatureKernel, FLAT_RELATIVE } from './feature-kernel.js';

/**
 * CCI(period): typical price TP = (high + low + close) / 3; over the last `period` TPs (t included)
 * SMA = mean and MD = mean |TP_j - SMA| (mean absolute deviation around that same SMA);
 * CCI = (TP_t - SMA) / (0.015 x MD). Unitless, valid from frame period - 1. A flat window
 * (MD <= 1e-12 x SMA) gives 0. The TPs are kept in a ring buffer; SMA and MD are recomputed each step.
 */
export class CciKernel implements FeatureKernel {
  readonly warmUps: readonly number[];
  private readonly period: number;
  private readonly ring: Float64Array;

  constructor(period: number) {
    this.period = checkPeriod('CCI period', period, 2);
    this.warmUps = [this.period - 1];
    this.ring = new Float64Array(this.period);
  }

  step(bars: BarColumns, n: number, i: number, t: number, out: Float64Array): void {
    const p = this.period;
    const ring = this.ring;
    const x = t * n + i;
    const tp = (bars.high[x]! + bars.low[x]! + bars.close[x]!) / 3;
    ring[t % p] = tp;
    if (t < p - 1) {
      out[0] = Number.NaN;
      return;
    }
    let sum = 0;
    for (let k = 0; k < p; k++) sum += ring[k]!;
    const sma = sum / p;
    let dev = 0;
    for (let k = 0; k < p; k++) dev += Math.abs(ring[k]! - sma);
    const md = dev / p;
    out[0] = md <= FLAT_RELATIVE * Math.abs(sma) ? 0 : (tp - sma) / (0.015 * md);
  }
}
