// Wilder's directional movement index (DX) from highs and lows.
import { type BarColumns, checkPeriod, type FeatureKernel } from './feature-kernel.js';
import { UpDownAverages } from './wilder-average.js';

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
  private readonly moves: UpDownAverages;
  private prevHigh = 0;
  private prevLow = 0;

  constructor(period: number) {
    this.moves = new UpDownAverages(checkPeriod('DX period', period));
    this.warmUps = [period];
  }

  step(bars: BarColumns, n: number, i: number, t: number, out: Float64Array): void {
    const h = bars.high[t * n + i]!;
    const l = bars.low[t * n + i]!;
    if (t > 0) {
      const up = h - this.prevHigh;
      const down = this.prevLow - l;
      this.moves.add(up > down && up > 0 ? up : 0, down > up && down > 0 ? down : 0);
    }
    this.prevHigh = h;
    this.prevLow = l;
    if (!this.moves.ready) {
      out[0] = Number.NaN;
      return;
    }
    const plus = this.moves.up.value;
    const minus = this.moves.down.value;
    const sum = plus + minus;
    out[0] = sum === 0 ? 0 : (100 * Math.abs(plus - minus)) / sum;
  }
}
