import { describe, expect, it } from 'vitest';
import { normalCdf, skewKurtosis } from './moments.js';
import {
  cagrPct,
  calmarRatio,
  computeMetrics,
  maxDrawdownPct,
  probabilisticSharpe,
  sharpeRatio,
  sortinoRatio,
  totalReturnPct,
  volatilityPct,
} from './performance.js';

// Worked by hand: equity 100 -> 110 -> 99 -> 108.9 gives returns +10 %, -10 %, +10 %.
// mean = 1/30; deviations 2/30, -4/30, 2/30; sample variance = (24/900) / 2 = 1/75; std = 0.1154700538
// Sharpe per period = (1/30) / sqrt(1/75) = 1 / (2 sqrt 3); Sortino per period = (1/30) / sqrt(0.01 / 3) = 1 / sqrt 3
// skewness = -1/sqrt 2, kurtosis = 1.5 (population moments)
// PSR = Phi(SR sqrt(2) / sqrt(1 + SR / sqrt 2 + 0.125 SR^2)) = Phi(0.3704403777) = 0.6444728
const equity = [100, 110, 99, 108.9];
const returns = [0.1, -0.1, 0.1];

describe('metrics, golden values worked by hand', () => {
  it('total return and max drawdown', () => {
    expect(totalReturnPct(equity)).toBeCloseTo(8.9, 10);
    expect(maxDrawdownPct(equity)).toBeCloseTo(10, 10);
  });

  it('Sharpe and Sortino annualise with sqrt(P)', () => {
    expect(sharpeRatio(returns, 1)).toBeCloseTo(1 / (2 * Math.sqrt(3)), 12);
    expect(sharpeRatio(returns, 8760)).toBeCloseTo(Math.sqrt(8760) / (2 * Math.sqrt(3)), 10);
    expect(sortinoRatio(returns, 1)).toBeCloseTo(1 / Math.sqrt(3), 12);
    expect(sortinoRatio(returns, 8760)).toBeCloseTo(Math.sqrt(8760 / 3), 10);
  });

  it('volatility is the sample std times sqrt(P), in percent', () => {
    expect(volatilityPct(returns, 4)).toBeCloseTo(Math.sqrt(1 / 75) * 2 * 100, 10);
  });

  it('CAGR uses (bars / P) years', () => {
    // 3 returns with P = 3 is one year; with P = 1.5 two years: sqrt(1.089) - 1
    expect(cagrPct(equity, 3)).toBeCloseTo(8.9, 10);
    expect(cagrPct(equity, 1.5)).toBeCloseTo((Math.sqrt(1.089) - 1) * 100, 10);
  });

  it('Calmar = CAGR / |max drawdown|', () => {
    expect(calmarRatio(0.089, 0.1)).toBeCloseTo(0.89, 12);
    expect(
      computeMetrics(equity, 3, { fills: 0, sells: 0, winningSells: 0, tradedNotional: 0, feesPaid: 0 })
        .calmar,
    ).toBeCloseTo(0.89, 10);
  });

  it('skewness, kurtosis and PSR', () => {
    const { skewness, kurtosis } = skewKurtosis(returns);
    expect(skewness).toBeCloseTo(-1 / Math.SQRT2, 12);
    expect(kurtosis).toBeCloseTo(1.5, 12);
    expect(probabilisticSharpe(returns)).toBeCloseTo(0.6444728, 6);
  });

  it('normal CDF matches tabulated values', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959963985)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-1)).toBeCloseTo(0.1586552539, 6);
  });
});

describe('undefined metrics are null, never Infinity', () => {
  const counters = { fills: 0, sells: 0, winningSells: 0, tradedNotional: 0, feesPaid: 0 };
  it('fewer than 2 returns', () => {
    const m = computeMetrics([100, 101], 8760, counters);
    expect(m.sharpe).toBeNull();
    expect(m.sortino).toBeNull();
    expect(m.volatilityPct).toBeNull();
    expect(m.psr).toBeNull();
    expect(m.returnPct).toBeCloseTo(1, 10);
    expect(computeMetrics([100], 8760, counters).returnPct).toBeNull();
  });
  it('zero variance and no drawdown', () => {
    const m = computeMetrics([100, 100, 100, 100], 8760, counters);
    expect(m.sharpe).toBeNull();
    expect(m.sortino).toBeNull();
    expect(m.maxDrawdownPct).toBe(0);
    expect(m.calmar).toBeNull();
    expect(m.winRatePct).toBeNull();
  });
  it('no downside gives a null Sortino even with a positive Sharpe', () => {
    const m = computeMetrics([100, 101, 103, 104], 8760, counters);
    expect(m.sharpe).toBeGreaterThan(0);
    expect(m.sortino).toBeNull();
  });
});

describe('trade statistics', () => {
  it('win rate, turnover and exposure', () => {
    const m = computeMetrics(
      [100, 100, 100],
      8760,
      { fills: 4, sells: 2, winningSells: 1, tradedNotional: 250, feesPaid: 0.5 },
      [0.5, 1],
    );
    expect(m.winRatePct).toBe(50);
    expect(m.turnover).toBe(2.5);
    expect(m.exposurePct).toBe(75);
    expect(m.trades).toBe(4);
    expect(m.bars).toBe(2);
    expect(m.finalEquity).toBe(100);
  });
});
