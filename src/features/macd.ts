// MACD (fast EMA - slow EMA of the close), its signal line and histogram, divided by the close.
import { ConfigError } from '../core/errors.js';
import { type BarColumns, checkPeriod, type FeatureKernel } from './feature-kernel.js';

/**
 * MACD(fast, slow, signal) with recursive EMAs `e_t = a x_t + (1 - a) e_{t-1}`, `a = 2 / (period + 1)`,
 * each seeded with its first input (pandas `ewm(adjust=False)`, trading-signals' EMA).
 * Outputs, all divided by close_t so they compare across assets:
 * 0 `macd` = EMA_fast - EMA_slow, valid from frame slow - 1;
 * 1 `signal` = EMA_signal of macd, seeded with the first valid macd, valid from slow + signal - 2;
 * 2 `hist` = macd - signal, valid from slow + signal - 2.
 */
export class MacdKernel implements FeatureKernel {
  readonly warmUps: readonly number[];
  private readonly slow: number;
  private readonly aFast: number;
  private readonly aSlow: number;
  private readonly aSignal: number;
  private fastEma = 0;
  private slowEma = 0;
  private signalEma = 0;
  private seen = 0;

  constructor(fast: number, slow: number, signal: number) {
    checkPeriod('MACD fast period', fast);
    this.slow = checkPeriod('MACD slow period', slow);
    checkPeriod('MACD signal period', signal);
    if (fast >= slow)
      throw new ConfigError(
        'FEATURE_PARAM_INVALID',
        `MACD fast period must be < slow, was ${fast} >= ${slow}`,
        {
          fast,
          slow,
        },
      );
    this.aFast = 2 / (fast + 1);
    this.aSlow = 2 / (slow + 1);
    this.aSignal = 2 / (signal + 1);
    this.warmUps = [slow - 1, slow + signal - 2, slow + signal - 2];
  }

  step(bars: BarColumns, n: number, i: number, t: number, out: Float64Array): void {
    const c = bars.close[t * n + i]!;
    const first = this.seen === 0;
    this.fastEma = c * this.aFast + (first ? c : this.fastEma) * (1 - this.aFast);
    this.slowEma = c * this.aSlow + (first ? c : this.slowEma) * (1 - this.aSlow);
    this.seen++;
    const validFrom = this.slow - 1;
    const k = this.seen - 1; // frame index of this step
    if (k < validFrom) {
      out[0] = Number.NaN;
      out[1] = Number.NaN;
      out[2] = Number.NaN;
      return;
    }
    const macd = this.fastEma - this.slowEma;
    this.signalEma = macd * this.aSignal + (k === validFrom ? macd : this.signalEma) * (1 - this.aSignal);
    out[0] = macd / c;
    if (k < this.warmUps[1]!) {
      out[1] = Number.NaN;
      out[2] = Number.NaN;
      return;
    }
    out[1] = this.signalEma / c;
    out[2] = (macd - this.signalEma) / c;
  }
}
