// Wilder's relative strength index of the close.
import { type BarColumns, checkPeriod, type FeatureKernel } from './feature-kernel.js';
import { UpDownAverages } from './wilder-average.js';

/**
 * RSI(period) after Wilder: gains and losses of the close from frame 1; the first average gain/loss
 * is the simple mean of the first `period` of them (frames 1..period), then
 * `avg_t = avg_{t-1} + (x_t - avg_{t-1}) / period`. RSI = 100 - 100 / (1 + avgGain / avgLoss), in
 * [0, 100], valid from frame `period`. No losses: 100; neither gains nor losses (flat): 50.
 */
export class RsiKernel implements FeatureKernel {
  readonly warmUps: readonly number[];
  private readonly moves: UpDownAverages;
  private prevClose = 0;

  constructor(period: number) {
    this.moves = new UpDownAverages(checkPeriod('RSI period', period));
    this.warmUps = [period];
  }

  step(bars: BarColumns, n: number, i: number, t: number, out: Float64Array): void {
    const c = bars.close[t * n + i]!;
    if (t > 0) {
      const change = c - this.prevClose;
      this.moves.add(Math.max(change, 0), Math.max(-change, 0));
    }
    this.prevClose = c;
    if (!this.moves.ready) {
      out[0] = Number.NaN;
      return;
    }
    const gain = this.moves.up.value;
    const loss = this.moves.down.value;
    if (loss === 0) out[0] = gain === 0 ? 50 : 100;
    else out[0] = 100 - 100 / (1 + gain / loss);
  }
}
