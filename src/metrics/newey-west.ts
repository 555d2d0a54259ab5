// Newey-West (1987) long-run variance of a return series, in one batch form and one incremental form.

/**
 * The Bartlett-kernel lag for n observations, Newey and West's (1994) plug-in rule
 * floor(4 (n / 100)^(2/9)): 4 lags at 100 bars, 7 at 1,344 (eight weeks of hours). 0 for n < 2.
 */
export function neweyWestLag(n: number): number {
  return n < 2 ? 0 : Math.floor(4 * (n / 100) ** (2 / 9));
}

/**
 * Long-run variance of `x` (the variance of its mean times n) with the Bartlett kernel:
 * gamma_0 + 2 sum_{l=1..L} (1 - l / (L + 1)) gamma_l, gamma_l = (1/n) sum_t (x_t - mean)(x_{t-l} - mean).
 * Never negative (the Bartlett weights make it a positive semi-definite estimate). NaN for n < 2.
 * `lag` defaults to neweyWestLag(n) and is capped at n - 1.
 */
export function longRunVariance(x: ArrayLike<number>, lag = neweyWestLag(x.length)): number {
  const n = x.length;
  if (n < 2) return Number.NaN;
  let m = 0;
  for (let i = 0; i < n; i++) m += x[i]!;
  m /= n;
  const L = Math.min(lag, n - 1);
  let lrv = 0;
  for (let l = 0; l <= L; l++) {
    let g = 0;
    for (let t = l; t < n; t++) g += (x[t]! - m) * (x[t - l]! - m);
    g /= n;
    lrv += l === 0 ? g : 2 * (1 - l / (L + 1)) * g;
  }
  return Math.max(0, lrv);
}

/** What a paired excess-return series says so far (one value per bar). */
export interface ExcessSummary {
  /** Bars observed. */
  readonly n: number;
  /** Mean excess return per bar (a fraction: 0.001 = 0.1 % per bar). */
  readonly mean: number;
  /** Sample standard deviation per bar (n - 1); NaN below 2 bars. */
  readonly sd: number;
  /** Newey-West long-run variance per bar (Bartlett kernel, lag below). */
  readonly longRunVariance: number;
  readonly lag: number;
  /** mean / sqrt(longRunVariance / n): the HAC t-statistic of a positive mean; null when undefined. */
  readonly tStat: number | null;
}

/** The stored form of an ExcessAccumulator. */
export interface ExcessAccumulatorState {
  readonly maxLag: number;
  readonly n: number;
  readonly sum: number;
  readonly sumSq: number;
  /** Index 0 unused; cross[l] = sum of x_t x_{t-l}. */
  readonly cross: number[];
  readonly head: number[];
  readonly tail: number[];
}

/**
 * A paired excess-return series summarised as it grows, in O(maxLag) per bar: the running sums, the sums
 * of lagged cross-products up to `maxLag`, and the first and last `maxLag` values (to centre them), so the
 * Newey-West long-run variance at any n is exact without keeping or rescanning the series. The lag used
 * is neweyWestLag(n) capped at `maxLag`. Pushing the same values in the same order gives the same bits.
 */
export class ExcessAccumulator {
  private count = 0;
  private sum = 0;
  private sumSq = 0;
  /** cross[l] = sum_t x_t x_{t-l}, l = 1..maxLag. */
  private readonly cross: Float64Array;
  /** The first maxLag values (head sums) and the last maxLag values in a ring (tail sums). */
  private readonly head: Float64Array;
  private readonly tail: Float64Array;

  constructor(readonly maxLag: number) {
    this.cross = new Float64Array(maxLag + 1);
    this.head = new Float64Array(maxLag);
    this.tail = new Float64Array(maxLag);
  }

  get n(): number {
    return this.count;
  }

  /** Its exact state (JSON round-trips doubles exactly, so a restored accumulator continues bit for bit). */
  toState(): ExcessAccumulatorState {
    return {
      maxLag: this.maxLag,
      n: this.count,
      sum: this.sum,
      sumSq: this.sumSq,
      cross: [...this.cross],
      head: [...this.head],
      tail: [...this.tail],
    };
  }

  /** An accumulator continuing from `state` (as written by toState). */
  static fromState(state: ExcessAccumulatorState): ExcessAccumulator {
    const acc = new ExcessAccumulator(state.maxLag);
    acc.count = state.n;
    acc.sum = state.sum;
    acc.sumSq = state.sumSq;
    acc.cross.set(state.cross);
    acc.head.set(state.head);
    acc.tail.set(state.tail);
    return acc;
  }

  push(x: number): void {
    const k = this.count;
    const L = this.maxLag;
    for (let l = 1; l <= L && l <= k; l++) this.cross[l]! += x * this.tail[(k - l) % L]!;
    if (L > 0) {
      if (k < L) this.head[k] = x;
      this.tail[k % L] = x;
    }
    this.count = k + 1;
    this.sum += x;
    this.sumSq += x * x;
  }

  summary(): ExcessSummary {
    const n = this.count;
    const mean = n > 0 ? this.sum / n : Number.NaN;
    if (n < 2) return { n, mean, sd: Number.NaN, longRunVariance: Number.NaN, lag: 0, tStat: null };
    // below this relative size the spread is rounding error (a constant series): no variance
    const spread = this.sumSq - n * mean * mean;
    const ss = spread > 1e-12 * this.sumSq ? spread : 0;
    const L = Math.min(neweyWestLag(n), this.maxLag, n - 1);
    let lrv = ss / n;
    let firstSum = 0;
    let lastSum = 0;
    for (let l = 1; l <= L; l++) {
      firstSum += this.head[l - 1]!;
      lastSum += this.tail[(n - l) % this.maxLag]!;
      // sum_{t>=l} (x_t - m)(x_{t-l} - m) = cross_l - m (sum of x_t, t >= l) - m (sum of x_{t-l}) + (n - l) m^2
      const g =
        (this.cross[l]! -
          mean * (this.sum - firstSum) -
          mean * (this.sum - lastSum) +
          (n - l) * mean * mean) /
        n;
      lrv += 2 * (1 - l / (L + 1)) * g;
    }
    lrv = ss === 0 ? 0 : Math.max(0, lrv);
    const se = Math.sqrt(lrv / n);
    return {
      n,
      mean,
      sd: Math.sqrt(ss / (n - 1)),
      longRunVariance: lrv,
      lag: L,
      tStat: se > 0 ? mean / se : null,
    };
  }
}
