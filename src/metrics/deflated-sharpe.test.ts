import { describe, expect, it } from 'vitest';
import { deflatedSharpe, expectedMaxSharpe } from './deflated-sharpe.js';

// Reference values from scipy.stats (norm.ppf, norm.cdf, skew, kurtosis(fisher=False)).

describe('expectedMaxSharpe', () => {
  it('is the Bailey and Lopez de Prado approximation of the best of N null Sharpes', () => {
    expect(expectedMaxSharpe(1000, 1)).toBeCloseTo(3.255121513652723, 6);
    expect(expectedMaxSharpe(10, 0.04)).toBeCloseTo(0.31491966026915, 6);
  });
  it('is 0 for one trial or no known variance (nothing to deflate)', () => {
    expect(expectedMaxSharpe(1, 1)).toBe(0);
    expect(expectedMaxSharpe(50, 0)).toBe(0);
  });
});

describe('deflatedSharpe', () => {
  const r = [0.01, -0.005, 0.02, 0.003, -0.012, 0.007, 0.015, -0.002];
  it('is the PSR against the expected maximum of the trials (worked with scipy)', () => {
    const own = 0.4225239027116932;
    const d = deflatedSharpe(r, 5, [0.1, 0.3, 0.2, 0.05, own]);
    expect(d.sharpePerPeriod).toBeCloseTo(own, 12);
    expect(d.expectedMaxSharpe).toBeCloseTo(0.17984553204048345, 6);
    expect(d.dsr).toBeCloseTo(0.7322983094464838, 6);
  });
  it('falls as the number of trials grows, with the same returns', () => {
    const sharpes = [0.1, 0.3, 0.2, 0.05];
    const few = deflatedSharpe(r, 5, sharpes).dsr!;
    const many = deflatedSharpe(r, 500, sharpes).dsr!;
    expect(many).toBeLessThan(few);
  });
  it('is null for flat returns (a fold spent in cash)', () => {
    const d = deflatedSharpe([0, 0, 0, 0], 3, [0.1, 0.2]);
    expect(d.sharpePerPeriod).toBeNull();
    expect(d.dsr).toBeNull();
  });
});
