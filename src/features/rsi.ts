// Wilder's relative strength index of the close.
import { type BarColumns, checkPeriod, type FeatureKernel } from './feature-kernel.js';

/**
 * RSI(period) after Wilder: gains and losses of the close from frame 1; the first average gain/loss
 * is the simple mean of the first `period` of them (frames 1..period), then
 * `avg_t = avg_{t-1} + (x_t - avg_{t-1}) / period`. RSI = 100 - 100 / (1 + avgGain / avgLoss), in
 * [0, 100], valid from frame `period`. No losses: 100; neither gains nor losses (flat): 50.
 */
export class RsiKernel implements FeatureKernel {
  readonly warmUps: readonly number[];
  private readonly period: number;
  private prevClose = 0;
  private avgGain = 0;
  private avgLoss = 0;
  private seen = 0;

  constructor(period: number) {
    this.period = checkPeriod('RSI period', period);
    this.warmUps = [this.period];
  }

  step(bars: BarColumns, n: number, i: number, t: number, out: Float64Array): void {
    const c = bars.close[t * n + i]!;
    const k = this.seen++;
    const p = this.period;
    if (k > 0) {
      const change = c - this.prevClose;
      const gain = Math.max(change, 0);
      const loss = Math.max(-change, 0);
      if (k <= p) {
        // accumulate the seed sums, turned into means at k = p
        this.avgGain += gain;
        this.avgLoss += loss;
        if (k === p) {
          this.avgGain /= p;
          this.avgLoss /= p;
        }
      } else {
        this.avgGain += (gain - this.avgGain) / p;
        this.avgLoss += (loss - this.avgLoss) / p;
      }
    }
    this.prevClose = c;
    if (k < p) {
      out[0] = Number.NaN;
      return;
    }
    if (this.avgLoss === 0) out[0] = this.avgGain === 0 ? 50 : 100;
    else out[0] = 100 - 100 / (1 + this.avgGain / this.avgLoss);
  }
}
