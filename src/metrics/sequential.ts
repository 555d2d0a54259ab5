// Sequential tests of a positive mean watched every bar: an alpha-spending boundary and the mSPRT.
import { erfcFitTail, normalCdf } from './moments.js';

/** Standard normal quantile: the z with normalCdf(z) = p (bisection on normalCdf, to 1e-12). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) return p === 0 ? -Infinity : p === 1 ? Infinity : Number.NaN;
  let lo = -40;
  let hi = 40;
  for (let i = 0; i < 100 && hi - lo > 1e-12; i++) {
    const mid = (lo + hi) / 2;
    if (normalCdf(mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Standard normal density. */
export function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
}

/**
 * Mills' ratio (1 - Phi(x)) / phi(x) for x >= 0, from the same Chebyshev fit of erfc as normalCdf but
 * without the exp(-x^2/2) factor, so it stays finite where 1 - Phi(x) underflows.
 */
function millsRatio(x: number): number {
  const z = x / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const poly = -1.26551223 + erfcFitTail(t);
  // 1 - Phi(x) = erfc(z) / 2 = t exp(-z^2 + poly) / 2 and phi(x) = exp(-z^2) / sqrt(2 pi)
  return 0.5 * t * Math.exp(poly) * Math.sqrt(2 * Math.PI);
}

/**
 * The alpha-spending boundary for continuous monitoring over a planned horizon (the O'Brien-Fleming-type
 * spending function of Lan and DeMets, 1983, in its continuous-time limit): with information time
 * s = n / horizon in (0, 1] and the B-value B(s) = z(n) sqrt(s), a Brownian motion under no edge, reject
 * when B(s) >= c with c = Phi^-1(1 - alpha / 2): by the reflection principle P(max_{s<=1} B(s) >= c) =
 * 2 (1 - Phi(c)) = alpha. Looking only every bar (not continuously) and only from a minimum age on can
 * only lower that probability. Returns c.
 */
export function spendingBoundary(alpha: number): number {
  let c = boundaries.get(alpha);
  if (c === undefined) {
    c = normalQuantile(1 - alpha / 2);
    if (boundaries.size > 1000) boundaries.clear();
    boundaries.set(alpha, c);
  }
  return c;
}

/** Boundaries by alpha: the gate asks for the same few levels every bar. */
const boundaries = new Map<number, number>();

/**
 * Probability that a Brownian motion with drift `drift` per unit time reaches `boundary` by time 1:
 * Phi(drift - c) + exp(2 drift c) Phi(-c - drift) (the second term through Mills' ratio, so it never
 * overflows). The power of the spending test when B(1) has mean `drift`.
 */
export function crossingProbability(drift: number, boundary: number): number {
  const c = boundary;
  const first = normalCdf(drift - c);
  const x = c + drift;
  // exp(2 drift c) (1 - Phi(c + drift)) = phi(drift - c) * Mills(c + drift), for c + drift >= 0
  const second = x >= 0 ? normalPdf(drift - c) * millsRatio(x) : Math.exp(2 * drift * c) * normalCdf(-x);
  return Math.min(1, first + second);
}

/** One look of a sequential test: the statistic, the boundary it must reach now, and the nominal level. */
export interface SequentialLook {
  /** The HAC t-statistic now. */
  readonly statistic: number;
  /** The t-statistic the test requires at this look (Infinity past the horizon). */
  readonly boundary: number;
  /**
   * The sequential p-value now: the probability, with no edge, that the statistic would reach its present
   * level at some look of the design (the level at which this look would just reject). 1 for a negative
   * mean or past the horizon.
   */
  readonly pValue: number;
}

/** Spending test at n bars of a `horizon`-bar design (see spendingBoundary), family level `alpha`. */
export function spendingLook(statistic: number, n: number, horizon: number, alpha: number): SequentialLook {
  if (n > horizon) return { statistic, boundary: Infinity, pValue: 1 };
  const s = n / horizon;
  const b = statistic * Math.sqrt(s);
  return {
    statistic,
    boundary: spendingBoundary(alpha) / Math.sqrt(s),
    pValue: b <= 0 ? 1 : Math.min(1, 2 * (1 - normalCdf(b))),
  };
}

/**
 * Mixture sequential probability ratio test (Robbins 1970; the always-valid p-values of Johari et al.,
 * 2017) of a zero mean against a normal mixture N(0, tau^2) of per-bar means, with the variance estimated
 * (HAC): with r = n tau^2 / V and z the t-statistic, log L = -log(1 + r) / 2 + z^2 r / (2 (1 + r)). The
 * always-valid p-value is min(1, 1 / L) for a positive mean (one-sided; 1 otherwise); by Ville's
 * inequality P(ever L >= 1 / alpha) <= alpha, with no horizon. `tauSquaredOverVariance` is tau^2 / V.
 */
export function msprtLook(
  statistic: number,
  n: number,
  tauSquaredOverVariance: number,
  alpha: number,
): SequentialLook {
  const r = n * tauSquaredOverVariance;
  const logL = -0.5 * Math.log1p(r) + (0.5 * statistic * statistic * r) / (1 + r);
  // reject when logL >= log(1/alpha): z^2 >= (1 + r) / r (2 log(1/alpha) + log(1 + r))
  const boundary = Math.sqrt(((1 + r) / r) * (2 * Math.log(1 / alpha) + Math.log1p(r)));
  return { statistic, boundary, pValue: statistic <= 0 ? 1 : Math.min(1, Math.exp(-logL)) };
}

/**
 * The smallest n (bars, searched up to `maxBars`) at which `irPerBar * sqrt(n)` (the expected statistic
 * of a true edge with that per-bar information ratio) reaches `boundaryAt(n)`; null when it never does
 * by maxBars. `boundaryAt` must make irPerBar sqrt(n) - boundaryAt(n) increasing in n where finite.
 */
export function barsToReach(
  irPerBar: number,
  boundaryAt: (n: number) => number,
  maxBars: number,
): number | null {
  if (!(irPerBar > 0)) return null;
  const reached = (n: number) => irPerBar * Math.sqrt(n) >= boundaryAt(n);
  let hi = 1;
  while (hi < maxBars && !reached(hi)) hi = Math.min(maxBars, hi * 2);
  if (!reached(hi)) return null;
  let lo = Math.floor(hi / 2);
  if (reached(lo)) return lo;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (reached(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * Holm's (1979) step-down thresholds for a family of `familySize` hypotheses (>= pValues.length; absent
 * members count as never rejected): sorted ascending, the k-th smallest (k = 0..) is compared with
 * alpha / (familySize - k) and rejected only if every smaller one was. Returns, per input, its threshold
 * and whether it is rejected; ties keep input order. Controls the family-wise error rate at alpha.
 */
export function holm(
  pValues: readonly number[],
  alpha: number,
  familySize = pValues.length,
): { threshold: number; rejected: boolean; rank: number }[] {
  const m = Math.max(familySize, pValues.length);
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p || a.i - b.i);
  const out = new Array<{ threshold: number; rejected: boolean; rank: number }>(pValues.length);
  let stillRejecting = true;
  order.forEach(({ p, i }, k) => {
    const threshold = alpha / (m - k);
    stillRejecting = stillRejecting && p <= threshold;
    out[i] = { threshold, rejected: stillRejecting, rank: k + 1 };
  });
  return out;
}

/**
 * Two-sided Clopper-Pearson ("exact") confidence interval of a binomial proportion k / n at `confidence`
 * (default 0.95), by bisection on the binomial tails (log-space sums: exact enough for n up to 1e6).
 */
export function binomialInterval(k: number, n: number, confidence = 0.95): { lower: number; upper: number } {
  if (!(n > 0) || k < 0 || k > n) return { lower: Number.NaN, upper: Number.NaN };
  const tail = (1 - confidence) / 2;
  const lower = k === 0 ? 0 : bisect((p) => binomialUpperTail(k, n, p) >= tail);
  const upper = k === n ? 1 : bisect((p) => 1 - binomialUpperTail(k + 1, n, p) <= tail);
  return { lower, upper };
}

/** The smallest p in [0, 1] for which `ok(p)` holds (`ok` monotone: false then true). */
function bisect(ok: (p: number) => boolean): number {
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (ok(mid)) hi = mid;
    else lo = mid;
  }
  return (lo + hi) / 2;
}

/** P(X >= k) for X ~ Binomial(n, p). */
function binomialUpperTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  const lp = Math.log(p);
  const lq = Math.log1p(-p);
  // log C(n, j) built incrementally from j = k
  let logC = 0;
  for (let j = 1; j <= k; j++) logC += Math.log((n - k + j) / j);
  let sum = 0;
  for (let j = k; j <= n; j++) {
    sum += Math.exp(logC + j * lp + (n - j) * lq);
    logC += Math.log((n - j) / (j + 1));
  }
  return Math.min(1, sum);
}
