import { describe, expect, it } from 'vitest';
import { marketFromCloses, randomWalkCloses } from '../../../test/market-fixtures.js';
import { createBuiltinPolicy, createEqualWeight } from '../../models/index.js';
import { resolveSimConfig } from '../../sim/index.js';
import { evaluateFolds } from './evaluate.js';
import { scoreFolds } from './score.js';
import { WalkForwardSchema, walkForwardWindows } from './windows.js';

describe('walk-forward windows', () => {
  it('puts K consecutive folds at the end, an embargo before them, training before that', () => {
    const w = walkForwardWindows(
      1000,
      WalkForwardSchema.parse({ folds: 4, validationBars: 100, embargoBars: 20 }),
    );
    expect(w.folds).toEqual([
      { from: 600, to: 700 },
      { from: 700, to: 800 },
      { from: 800, to: 900 },
      { from: 900, to: 1000 },
    ]);
    expect(w.train).toEqual({ from: 0, to: 580 });
    const rolling = walkForwardWindows(
      1000,
      WalkForwardSchema.parse({ validationBars: 100, embargoBars: 20, trainBars: 300 }),
    );
    expect(rolling.train).toEqual({ from: 280, to: 580 });
  });

  it('refuses data that is too short, saying how many bars are needed', () => {
    expect(() => walkForwardWindows(300, WalkForwardSchema.parse({ folds: 4, validationBars: 100 }))).toThrow(
      /walk-forward needs 449 bars .* the data has 300/,
    );
  });
});

describe('training score', () => {
  const fold = (sharpe: number, benchmarkSharpe: number) => ({
    from: '',
    to: '',
    sharpe,
    benchmarkSharpe,
    returnPct: 0,
    benchmarkReturnPct: 0,
    trades: 0,
  });
  it('is mean Sharpe - mean benchmark Sharpe - penalty x std of the Sharpes (worked by hand)', () => {
    // sharpes 1, 2, 3: mean 2, sample std 1; benchmark mean 0.5; penalty 0.1 -> 2 - 0.5 - 0.1 = 1.4
    const s = scoreFolds([fold(1, 0), fold(2, 1), fold(3, 0.5)], 0.1);
    expect(s.meanSharpe).toBe(2);
    expect(s.meanBenchmarkSharpe).toBe(0.5);
    expect(s.spread).toBe(1);
    expect(s.score).toBeCloseTo(1.4, 12);
  });
});

describe('evaluateFolds', () => {
  const market = marketFromCloses(['A', 'B', 'C'], randomWalkCloses(3, 900, 21, 0.01));
  const folds = walkForwardWindows(900, WalkForwardSchema.parse({ folds: 3, validationBars: 200 })).folds;
  const config = resolveSimConfig();

  it('equal-weight against itself scores minus the spread penalty only', async () => {
    const r = await evaluateFolds(market, createEqualWeight(market.symbols), folds, config, {
      spreadPenalty: 0.5,
    });
    expect(r.folds).toHaveLength(3);
    for (const f of r.folds) expect(f.sharpe).toBe(f.benchmarkSharpe);
    expect(r.score).toBeCloseTo(-0.5 * r.spread, 12);
  });

  it('stops after the fold where the pruning hook says so, also when the hook answers later', async () => {
    const seen: number[] = [];
    const r = await evaluateFolds(
      market,
      createBuiltinPolicy('builtin:sma-cross?fast=5&slow=20', market.symbols),
      folds,
      config,
      { spreadPenalty: 0.1 },
      async (k) => {
        seen.push(k);
        await new Promise((resolve) => setTimeout(resolve, 1));
        return k === 1;
      },
    );
    expect(seen).toEqual([0, 1]);
    expect(r.stopped).toBe(true);
    expect(r.folds).toHaveLength(2);
  });
});
