import { describe, expect, it } from 'vitest';
import { RandomStream } from '../core/random.js';
import { informationRatio } from './excess-evidence.js';
import { normalCdf } from './moments.js';
import { ExcessAccumulator, longRunVariance, neweyWestLag } from './newey-west.js';
import {
  barsToReach,
  binomialInterval,
  crossingProbability,
  holm,
  msprtLook,
  normalQuantile,
  spendingBoundary,
  spendingLook,
} from './sequential.js';

// Worked by hand: x = 1, 2, 3, 4, lag 1. mean 2.5; deviations -1.5, -0.5, 0.5, 1.5;
// gamma_0 = (2.25 + 0.25 + 0.25 + 2.25) / 4 = 1.25; gamma_1 = (0.75 - 0.25 + 0.75) / 4 = 0.3125;
// Bartlett weight 1 - 1/2 = 0.5: LRV = 1.25 + 2 x 0.5 x 0.3125 = 1.5625; t = 2.5 / sqrt(1.5625 / 4) = 4.
describe('Newey-West long-run variance, golden values', () => {
  it('lag rule floor(4 (n/100)^(2/9))', () => {
    expect(neweyWestLag(1)).toBe(0);
    expect(neweyWestLag(4)).toBe(1);
    expect(neweyWestLag(100)).toBe(4);
    expect(neweyWestLag(168)).toBe(4);
    expect(neweyWestLag(1344)).toBe(7);
  });

  it('batch form', () => {
    expect(longRunVariance([1, 2, 3, 4], 1)).toBeCloseTo(1.5625, 14);
    expect(longRunVariance([1, 2, 3, 4], 0)).toBeCloseTo(1.25, 14);
    expect(longRunVariance([1], 1)).toBeNaN();
  });

  it('incremental form gives the batch values, mean, sd and t', () => {
    const acc = new ExcessAccumulator(8);
    for (const x of [1, 2, 3, 4]) acc.push(x);
    const s = acc.summary();
    expect(s.n).toBe(4);
    expect(s.mean).toBe(2.5);
    expect(s.sd).toBeCloseTo(Math.sqrt(5 / 3), 14);
    expect(s.lag).toBe(1);
    expect(s.longRunVariance).toBeCloseTo(1.5625, 12);
    expect(s.tStat).toBeCloseTo(4, 12);
  });

  it('incremental equals batch on a long random series at every length (lag capped by maxLag)', () => {
    const shocks = new Float64Array(1500);
    new RandomStream(7, 'nw').fillNormal(shocks);
    const acc = new ExcessAccumulator(6);
    const xs: number[] = [];
    for (let i = 0; i < 1500; i++) {
      const x = 0.001 * shocks[i]! + (xs.at(-1) ?? 0) * 0.3;
      xs.push(x);
      acc.push(x);
      if (i % 97 === 5 || i === 1499) {
        const s = acc.summary();
        const batch = longRunVariance(xs, Math.min(neweyWestLag(xs.length), 6));
        expect(s.longRunVariance / batch).toBeCloseTo(1, 9);
      }
    }
  });

  it('a restored accumulator continues bit for bit', () => {
    const xs = [0.01, -0.02, 0.005, 0.03, -0.001, 0.002, 0.0, 0.011];
    const a = new ExcessAccumulator(3);
    for (const x of xs.slice(0, 5)) a.push(x);
    const b = ExcessAccumulator.fromState(JSON.parse(JSON.stringify(a.toState())));
    for (const x of xs.slice(5)) {
      a.push(x);
      b.push(x);
    }
    expect(b.summary()).toEqual(a.summary());
    expect(b.toState()).toEqual(a.toState());
  });

  it('a constant series has no t-statistic', () => {
    const acc = new ExcessAccumulator(4);
    for (let i = 0; i < 10; i++) acc.push(0.01);
    expect(acc.summary().tStat).toBeNull();
  });
});

describe('sequential tests', () => {
  it('normal quantile inverts the CDF', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 6);
    expect(normalCdf(normalQuantile(0.01))).toBeCloseTo(0.01, 7);
  });

  it('spending boundary: P(max B >= c) = alpha with no drift', () => {
    const c = spendingBoundary(0.05);
    expect(c).toBeCloseTo(1.959964, 5);
    expect(crossingProbability(0, c)).toBeCloseTo(0.05, 6);
    expect(spendingBoundary(0.05 / 9)).toBeCloseTo(2.773, 3);
  });

  it('crossing probability: closed form, finite for large drifts', () => {
    // drift 3.917 (IR 10 over 1,344 h), c 2.773: Phi(1.144) + exp(21.72) Phi(-6.69) = 0.8737 + 0.0299
    expect(crossingProbability(3.917, 2.773)).toBeCloseTo(0.9036, 3);
    expect(crossingProbability(60, 3)).toBe(1);
    expect(crossingProbability(-5, 3)).toBeLessThan(1e-6);
  });

  it('spending look: boundary c sqrt(T/n), p-value 2 (1 - Phi(z sqrt(n/T))), closed past the horizon', () => {
    const look = spendingLook(3, 336, 1344, 0.05);
    expect(look.boundary).toBeCloseTo(1.959964 * 2, 5);
    expect(look.pValue).toBeCloseTo(2 * (1 - normalCdf(1.5)), 7);
    expect(spendingLook(-1, 336, 1344, 0.05).pValue).toBe(1);
    expect(spendingLook(9, 1345, 1344, 0.05)).toEqual({ statistic: 9, boundary: Infinity, pValue: 1 });
  });

  it('mSPRT look: log L = -log(1 + r)/2 + z^2 r / (2 (1 + r))', () => {
    // n = 100, tau^2/V = 0.01: r = 1, z = 3: log L = -0.3466 + 2.25 = 1.9034, p = exp(-1.9034) = 0.1491
    const look = msprtLook(3, 100, 0.01, 0.05);
    expect(look.pValue).toBeCloseTo(Math.exp(0.5 * Math.log(2) - 2.25), 12);
    expect(look.boundary).toBeCloseTo(Math.sqrt(2 * (2 * Math.log(20) + Math.log(2))), 12);
    expect(msprtLook(-3, 100, 0.01, 0.05).pValue).toBe(1);
  });

  it('both keep their level under hourly looks; a fixed-level look every hour does not', () => {
    const paths = 2000;
    const horizon = 400;
    const shocks = new Float64Array(paths * horizon);
    new RandomStream(11, 'null-paths').fillNormal(shocks);
    let spending = 0;
    let msprt = 0;
    let naive = 0;
    const naiveZ = normalQuantile(0.95);
    for (let p = 0; p < paths; p++) {
      let sum = 0;
      let hit = [false, false, false];
      for (let n = 1; n <= horizon; n++) {
        sum += shocks[p * horizon + n - 1]!;
        const z = sum / Math.sqrt(n); // unit variance known: the Brownian limit itself
        if (n < 50) continue;
        hit = [
          hit[0]! || spendingLook(z, n, horizon, 0.05).pValue <= 0.05,
          hit[1]! || msprtLook(z, n, 0.01, 0.05).pValue <= 0.05,
          hit[2]! || z >= naiveZ,
        ];
      }
      spending += hit[0] ? 1 : 0;
      msprt += hit[1] ? 1 : 0;
      naive += hit[2] ? 1 : 0;
    }
    expect(binomialInterval(spending, paths).lower).toBeLessThanOrEqual(0.05);
    expect(binomialInterval(msprt, paths).lower).toBeLessThanOrEqual(0.05);
    expect(naive / paths).toBeGreaterThan(0.15);
  });

  it('bars to reach a boundary: spending and mSPRT', () => {
    const c = spendingBoundary(0.05 / 9);
    const irPerBar = 10 / Math.sqrt(8760);
    // expected B = irPerBar n / sqrt(T) reaches c at n = c sqrt(T) / irPerBar = 2.773 x 36.66 / 0.10684 = 951
    const n = barsToReach(irPerBar, (k) => spendingLook(0, k, 1344, 0.05 / 9).boundary, 1344);
    expect(n).toBe(Math.ceil((c * Math.sqrt(1344)) / irPerBar));
    expect(
      barsToReach(3 / Math.sqrt(8760), (k) => spendingLook(0, k, 1344, 0.05 / 9).boundary, 1344),
    ).toBeNull();
    expect(barsToReach(-0.1, () => 1, 100)).toBeNull();
    const m = barsToReach(irPerBar, (k) => msprtLook(0, k, 0.01, 0.05).boundary, 100_000)!;
    expect(irPerBar * Math.sqrt(m)).toBeGreaterThanOrEqual(msprtLook(0, m, 0.01, 0.05).boundary);
    expect(irPerBar * Math.sqrt(m - 1)).toBeLessThan(msprtLook(0, m - 1, 0.01, 0.05).boundary);
  });
});

describe('Holm and binomial intervals', () => {
  it('Holm steps down and stops at the first acceptance', () => {
    expect(holm([0.01, 0.04, 0.03], 0.05)).toEqual([
      { threshold: 0.05 / 3, rejected: true, rank: 1 },
      { threshold: 0.05, rejected: false, rank: 3 },
      { threshold: 0.025, rejected: false, rank: 2 },
    ]);
    expect(holm([0.01, 0.02], 0.05).map((r) => r.rejected)).toEqual([true, true]);
    // a family of 9 slots with 2 members: the smallest is tested at alpha / 9
    expect(holm([0.006, 0.5], 0.05, 9)[0]).toEqual({ threshold: 0.05 / 9, rejected: false, rank: 1 });
  });

  it('Clopper-Pearson intervals', () => {
    const none = binomialInterval(0, 10);
    expect(none.lower).toBe(0);
    expect(none.upper).toBeCloseTo(1 - 0.025 ** (1 / 10), 9);
    const half = binomialInterval(5, 10);
    expect(half.lower).toBeCloseTo(0.187086, 5);
    expect(half.upper).toBeCloseTo(0.812914, 5);
    expect(binomialInterval(10, 10).upper).toBe(1);
  });
});

describe('information ratio with a HAC interval', () => {
  it('ir = mean / sd x sqrt(P); bounds use the HAC standard error', () => {
    const acc = new ExcessAccumulator(8);
    for (const x of [1, 2, 3, 4]) acc.push(x);
    const ir = informationRatio(acc.summary(), 1, 0.95);
    const sd = Math.sqrt(5 / 3);
    expect(ir.ir).toBeCloseTo(2.5 / sd, 12);
    expect(ir.lower).toBeCloseTo((2.5 - 1.959964 * 0.625) / sd, 5);
    expect(ir.upper).toBeCloseTo((2.5 + 1.959964 * 0.625) / sd, 5);
    expect(informationRatio(new ExcessAccumulator(2).summary(), 1).ir).toBeNull();
  });
});
