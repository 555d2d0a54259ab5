// Wilder's directional movement index (DX) from highs and lows.
import { type BarColumns, checkPeriod, type FeatureKernel } from './feature-kernel.js';

/**
 * DX(period) after Wilder. From frame 1: up = H_t - H_{t-1}, down = L_{t-1} - L_t;
 * +DM = up if up > down and up > 0, else 0; -DM = down if down > up and down > 0, else 0 (a tie
 * gives 0 to both). Each DM is Wilder-smoothed like the RSI averages (seed = mean of frames
 * 1..period, then `s += (x - s) / period`). DX = 100 x |S+ - S-| / (S+ + S-), in [0, 100], valid from
 * frame `period`; 0 when there was no directional movement at all. This equals the textbook
 * 100 x |+DI - -DI| / (+DI + -DI): both DIs divide by the same smoothed true range, which cancels.
 */
export class DxKernel implements FeatureKernel {
  readonly warmUps: readonly number[];
  private readonly period: number;
  private prevHigh = 0;
  private prevLow = 0;
  private plus = 0;
  private minus = 0;
  private seen = 0;

  constructor(period: number) {
    this.period = checkPeriod('DX period', period);
    this.warmUps = [this.period];
  }

  step(bars: BarColumns, n: number, i: number, t: number, out: Float64Array): void {
    const h = bars.high[t * n + i]!;
    const l = bars.low[t * n + i]!;
    const k = this.seen++;
    const p = this.period;
    if (k > 0) {
      const up = h - this.prevHigh;
      const down = this.prevLow - l;
      const plusDm = up > down && up > 0 ? up : 0;
      const minusDm = down > up && down > 0 ? down : 0;
      if (k <= p) {
        this.plus += plusDm;
        this.minus += minusDm;
        if (k === p) {
          this.plus /= p;
          this.minus /= p;
        }
      } else {
        this.plus += (plusDm - this.plus) / p;
        this.minus += (minusDm - this.minus) / p;
      }
    }
    this.prevHigh = h;
    this.prevLow = l;
    if (k < p) {
      out[0] = Number.NaN;
      return;
    }
    const sum = this.plus + this.minus;
    out[0] = sum === 0 ? 0 : (100 * Math.abs(this.plus - this.minus)) / sum;
  }
}
