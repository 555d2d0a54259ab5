// Rolling-window statistics: realised volatility of log returns and the volume z-score.
import { type BarColumns, checkPeriod, type FeatureKernel, FLAT_RELATIVE } from './feature-kernel.js';

/**
 * Sample standard deviation (n - 1 denominator) of the `window` one-bar log returns ending at t,
 * i.e. of ln(c_j / c_{j-1}) for j in [t - window + 1, t]; valid from frame `window`. Per bar, not
 * annualised. The returns are kept in a ring buffer and the std recomputed from it in two passes each
 * step, so there is no running-sum drift and the variance is never negative.
 */
export class RollingVolKernel implements FeatureKernel {
  readonly warmUps: readonly number[];
  private readonly window: number;
  private readonly ring: Float64Array;

  constructor(window: number) {
    this.window = checkPeriod('volatility window', window, 2);
    this.warmUps = [this.window];
    this.ring = new Float64Array(this.window);
  }

  step(bars: BarColumns, n: number, i: number, t: number, out: Float64Array): void {
    const w = this.window;
    const ring = this.ring;
    if (t > 0) ring[t % w] = Math.log(bars.close[t * n + i]! / bars.close[(t - 1) * n + i]!);
    if (t < w) {
      out[0] = Number.NaN;
      return;
    }
    let sum = 0;
    for (let k = 0; k < w; k++) sum += ring[k]!;
    const mean = sum / w;
    let ss = 0;
    for (let k = 0; k < w; k++) {
      const d = ring[k]! - mean;
      ss += d * d;
    }
    out[0] = Math.sqrt(ss / (w - 1));
  }
}

/**
 * Z-score of the raw volume at t against the mean and sample std of the `window` previous volumes
 * (frames [t - window, t - 1], the current bar excluded); valid from frame `window`. Raw volume, not
 * log volume: the score is then the same whether volume is counted in base or quote units, and zero
 * volumes need no special case. A flat window (std <= 1e-12 x |mean|) gives 0.
 */
export class VolumeZKernel implements FeatureKernel {
  readonly warmUps: readonly number[];
  private readonly window: number;

  constructor(window: number) {
    this.window = checkPeriod('volume window', window, 2);
    this.warmUps = [this.window];
  }

  step(bars: BarColumns, n: number, i: number, t: number, out: Float64Array): void {
    const w = this.window;
    if (t < w) {
      out[0] = Number.NaN;
      return;
    }
    const v = bars.volume;
    let sum = 0;
    for (let j = t - w; j < t; j++) sum += v[j * n + i]!;
    const mean = sum / w;
    let ss = 0;
    for (let j = t - w; j < t; j++) {
      const d = v[j * n + i]! - mean;
      ss += d * d;
    }
    const std = Math.sqrt(ss / (w - 1));
    out[0] = std <= FLAT_RELATIVE * Math.abs(mean) ? 0 : (v[t * n + i]! - mean) / std;
  }
}
