// Sample moments of a return series, computed in one place for every metric.

/** Simple per-period returns of an equity curve: r[k] = e[k + 1] / e[k] - 1. */
export function simpleReturns(equity: ArrayLike<number>): Float64Array {
  const n = Math.max(0, equity.length - 1);
  const r = new Float64Array(n);
  for (let k = 0; k < n; k++) r[k] = equity[k + 1]! / equity[k]! - 1;
  return r;
}

export function mean(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]!;
  return x.length > 0 ? s / x.length : Number.NaN;
}

/** Sample standard deviation (n - 1 in the denominator); NaN for fewer than 2 values. */
export function sampleStd(x: ArrayLike<number>): number {
  if (x.length < 2) return Number.NaN;
  const m = mean(x);
  let ss = 0;
  for (let i = 0; i < x.length; i++) ss += (x[i]! - m) ** 2;
  return Math.sqrt(ss / (x.length - 1));
}

/** Population skewness and kurtosis (not excess: a normal distribution has kurtosis 3). */
export function skewKurtosis(x: ArrayLike<number>): { skewness: number; kurtosis: number } {
  const n = x.length;
  const m = mean(x);
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i]! - m;
    const d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  m2 /= n;
  m3 /= n;
  m4 /= n;
  if (!(m2 > 0)) return { skewness: Number.NaN, kurtosis: Number.NaN };
  return { skewness: m3 / m2 ** 1.5, kurtosis: m4 / (m2 * m2) };
}

/**
 * Standard normal CDF via the complementary error function (Chebyshev fit of W. H. Press et al.,
 * fractional error below 1.2e-7), enough for a probability reported to a few decimals.
 */
export function normalCdf(z: number): number {
  return 1 - 0.5 * erfc(z / Math.SQRT2);
}

function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + erfcFitTail(t));
  return x >= 0 ? r : 2 - r;
}

/**
 * The Chebyshev fit of erfc (Press et al.): for x >= 0 and t = 1 / (1 + x / 2),
 * erfc(x) = t exp(-x^2 - 1.26551223 + erfcFitTail(t)). Shared with the Mills ratio, which needs the
 * fit without its exp(-x^2) factor.
 */
export function erfcFitTail(t: number): number {
  return (
    t *
    (1.00002368 +
      t *
        (0.37409196 +
          t *
            (0.09678418 +
              t *
                (-0.18628806 +
                  t *
                    (0.27886807 +
                      t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))))
  );
}
