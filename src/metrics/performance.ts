// Performance statistics of an equity curve, one documented definition each (docs/metrics.md).
import { mean, normalCdf, sampleStd, simpleReturns, skewKurtosis } from './moments.js';

/** Total return in percent: (end / start - 1) x 100; null for fewer than 2 points. */
export function totalReturnPct(equity: ArrayLike<number>): number | null {
  if (equity.length < 2) return null;
  return (equity[equity.length - 1]! / equity[0]! - 1) * 100;
}

/** Compound annual growth in percent over returns.length / P years; null if undefined. */
export function cagrPct(equity: ArrayLike<number>, periodsPerYear: number): number | null {
  if (equity.length < 2) return null;
  const ratio = equity[equity.length - 1]! / equity[0]!;
  const years = (equity.length - 1) / periodsPerYear;
  if (!(ratio > 0) || !(years > 0)) return null;
  return (ratio ** (1 / years) - 1) * 100;
}

/** Annualised volatility in percent: sample std of returns x sqrt(P) x 100; null for < 2 returns. */
export function volatilityPct(returns: ArrayLike<number>, periodsPerYear: number): number | null {
  const sd = sampleStd(returns);
  return Number.isFinite(sd) ? sd * Math.sqrt(periodsPerYear) * 100 : null;
}

/** Sharpe = mean(r) / std(r) x sqrt(P), sample std, risk-free 0; null for < 2 returns or zero variance. */
export function sharpeRatio(returns: ArrayLike<number>, periodsPerYear: number): number | null {
  const sd = sampleStd(returns);
  if (!(sd > 0)) return null;
  return (mean(returns) / sd) * Math.sqrt(periodsPerYear);
}

/** Sortino = mean(r) / sqrt(mean(min(r, 0)^2)) x sqrt(P); null for < 2 returns or no downside. */
export function sortinoRatio(returns: ArrayLike<number>, periodsPerYear: number): number | null {
  if (returns.length < 2) return null;
  let downside = 0;
  for (let i = 0; i < returns.length; i++) {
    const r = returns[i]!;
    if (r < 0) downside += r * r;
  }
  const dd = Math.sqrt(downside / returns.length);
  if (!(dd > 0)) return null;
  return (mean(returns) / dd) * Math.sqrt(periodsPerYear);
}

/** Largest fall from a running peak, in percent (a positive number: 12.5 means -12.5 %); 0 if none. */
export function maxDrawdownPct(equity: ArrayLike<number>): number | null {
  if (equity.length === 0) return null;
  let peak = equity[0]!;
  let worst = 0;
  for (let i = 0; i < equity.length; i++) {
    const e = equity[i]!;
    if (e > peak) peak = e;
    const dd = 1 - e / peak;
    if (dd > worst) worst = dd;
  }
  return worst * 100;
}

/** Calmar = CAGR / |max drawdown| (both as fractions); null when either is undefined or DD is 0. */
export function calmarRatio(cagr: number | null, maxDd: number | null): number | null {
  if (cagr === null || maxDd === null || maxDd === 0) return null;
  return cagr / maxDd;
}

/**
 * Probabilistic Sharpe Ratio (Bailey and Lopez de Prado, 2012): the probability that the true per-period
 * Sharpe exceeds `benchmarkSharpe` (per period, default 0), given n returns, their skewness and kurtosis:
 * PSR = Phi((SR - SR*) sqrt(n - 1) / sqrt(1 - g3 SR + (g4 - 1) / 4 SR^2)). Null when undefined.
 */
export function probabilisticSharpe(returns: ArrayLike<number>, benchmarkSharpe = 0): number | null {
  const n = returns.length;
  const sd = sampleStd(returns);
  if (n < 3 || !(sd > 0)) return null;
  const sr = mean(returns) / sd;
  const { skewness, kurtosis } = skewKurtosis(returns);
  const denom = 1 - skewness * sr + ((kurtosis - 1) / 4) * sr * sr;
  if (!(denom > 0)) return null;
  return normalCdf(((sr - benchmarkSharpe) * Math.sqrt(n - 1)) / Math.sqrt(denom));
}

/** Counters from the simulator that metrics need beyond the equity curve. */
export interface TradeCounters {
  fills: number;
  sells: number;
  winningSells: number;
  tradedNotional: number;
  feesPaid: number;
}

/** Every metric of one run. Percentages are in percent; ratios are annualised; null where undefined. */
export interface PerformanceMetrics {
  returnPct: number | null;
  cagrPct: number | null;
  volatilityPct: number | null;
  sharpe: number | null;
  sortino: number | null;
  maxDrawdownPct: number | null;
  calmar: number | null;
  psr: number | null;
  /** Share of sell fills with positive realised PnL (fees included), in percent. */
  winRatePct: number | null;
  /** Traded notional / mean equity over the run (1 = the whole portfolio traded once). */
  turnover: number | null;
  /** Mean invested fraction of equity after each bar's trades, in percent. */
  exposurePct: number | null;
  trades: number;
  feesPaid: number;
  finalEquity: number | null;
  bars: number;
}

/**
 * All metrics of a run: `equity` includes the starting point (length bars + 1); `invested` holds, per bar,
 * the fraction of equity in positions after trading (optional).
 */
export function computeMetrics(
  equity: ArrayLike<number>,
  periodsPerYear: number,
  counters: TradeCounters,
  invested?: ArrayLike<number>,
): PerformanceMetrics {
  const returns = simpleReturns(equity);
  const cagr = cagrPct(equity, periodsPerYear);
  const dd = maxDrawdownPct(equity);
  const meanEquity = mean(equity);
  return {
    returnPct: totalReturnPct(equity),
    cagrPct: cagr,
    volatilityPct: volatilityPct(returns, periodsPerYear),
    sharpe: sharpeRatio(returns, periodsPerYear),
    sortino: sortinoRatio(returns, periodsPerYear),
    maxDrawdownPct: dd,
    calmar: calmarRatio(cagr === null ? null : cagr / 100, dd === null ? null : dd / 100),
    psr: probabilisticSharpe(returns),
    winRatePct: counters.sells > 0 ? (counters.winningSells / counters.sells) * 100 : null,
    turnover: meanEquity > 0 ? counters.tradedNotional / meanEquity : null,
    exposurePct: invested && invested.length > 0 ? mean(invested) * 100 : null,
    trades: counters.fills,
    feesPaid: counters.feesPaid,
    finalEquity: equity.length > 0 ? equity[equity.length - 1]! : null,
    bars: Math.max(0, equity.length - 1),
  };
}
