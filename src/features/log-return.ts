// Log return of the close over a fixed number of bars.
import { type BarColumns, checkPeriod, type FeatureKernel } from './feature-kernel.js';

/** `ln(close_t / close_{t-lag})`; valid from frame `lag`. Stateless: reads the two closes. */
export class LogReturnKernel implements FeatureKernel {
  readonly warmUps: readonly number[];
  private readonly lag: number;

  constructor(lag: number) {
    this.lag = checkPeriod('log return lag', lag);
    this.warmUps = [this.lag];
  }

  step(bars: BarColumns, n: number, i: number, t: number, out: Float64Array): void {
    out[0] =
      t < this.lag ? Number.NaN : Math.log(bars.close[t * n + i]! / bars.close[(t - this.lag) * n + i]!);
  }
}
