import { describe, expect, it } from 'vitest';
import { marketFromCloses, randomWalkCloses } from '../../../test/market-fixtures.js';
import { createBuiltinPolicy, createEqualWeight } from '../../models/index.js';
import { resolveSimConfig } from '../../sim/index.js';
import { evaluateFolds } from './evaluate.js';
import { scoreFolds } from './score.js';
import { type FrameRange, WalkForwardSchema, walkForwardWindows } from './windows.js';

describe('walk-forward windows', () => {
  const range = (from: number, to: number): FrameRange => ({ from, to });
  const endFolds = [range(600, 700), range(700, 800), range(800, 900), range(900, 1000)];
  it.each<{
    scenario: string;
    config: Record<string, unknown>;
    folds: FrameRange[];
    foldTrain: FrameRange[];
    train: FrameRange;
  }>([
    {
      scenario: 'puts K consecutive folds at the end, an embargo before them, training before that',
      config: { folds: 4, validationBars: 100, embargoBars: 20, placement: 'end' },
      folds: endFolds,
      foldTrain: Array(4).fill(range(0, 580)),
      train: range(0, 580),
    },
    {
      scenario: 'folds at the end with a rolling training window of trainBars',
      config: { validationBars: 100, embargoBars: 20, trainBars: 300, placement: 'end' },
      folds: endFolds,
      foldTrain: Array(4).fill(range(280, 580)),
      train: range(280, 580),
    },
    {
      // first training 250 bars + embargo 20: folds spread evenly over [270, 1000), the last ends at the end;
      // each fold's model is fitted on everything before the fold's embargo; the kept model on all bars
      scenario: 'spreads the folds by default: an anchored walk-forward from the first quarter to the end',
      config: { folds: 4, validationBars: 100, embargoBars: 20 },
      folds: [range(270, 370), range(480, 580), range(690, 790), range(900, 1000)],
      foldTrain: [range(0, 250), range(0, 460), range(0, 670), range(0, 880)],
      train: range(0, 1000),
    },
    {
      scenario: 'spread folds with a rolling training window and a chosen first training length',
      config: { folds: 2, validationBars: 100, embargoBars: 0, minTrainBars: 500, trainBars: 300 },
      folds: [range(500, 600), range(900, 1000)],
      foldTrain: [range(200, 500), range(600, 900)],
      train: range(700, 1000),
    },
  ])('$scenario', ({ config, folds, foldTrain, train }) => {
    const w = walkForwardWindows(1000, WalkForwardSchema.parse(config));
    expect(w.folds).toEqual(folds);
    expect(w.foldTrain).toEqual(foldTrain);
    expect(w.train).toEqual(train);
  });

  it('folds never overlap, whatever the length', () => {
    for (let length = 460; length < 1200; length += 37) {
      const w = walkForwardWindows(
        length,
        WalkForwardSchema.parse({ folds: 3, validationBars: 97, embargoBars: 11 }),
      );
      for (let k = 1; k < w.folds.length; k++)
        expect(w.folds[k]!.from).toBeGreaterThanOrEqual(w.folds[k - 1]!.to);
      expect(w.folds[2]!.to).toBe(length);
      for (const [k, f] of w.folds.entries()) expect(w.foldTrain[k]!.to).toBe(f.from - 11);
    }
  });

  it('refuses data that is too short, saying how many bars are needed', () => {
    expect(() =>
      walkForwardWindows(300, WalkForwardSchema.parse({ folds: 4, validationBars: 100, placement: 'end' })),
    ).toThrow(/walk-forward needs 449 bars .* the data has 300/);
    expect(() =>
      walkForwardWindows(300, WalkForwardSchema.parse({ folds: 4, validationBars: 100, minTrainBars: 50 })),
    ).toThrow(/walk-forward needs 498 bars .* the data has 300/);
  });
});

describe('training score', () => {
  const fold = (sharpe: number, benchmarkSharpe: number, other = 0) => ({
    from: '',
    to: '',
    sharpe,
    benchmarkSharpe,
    sortino: 2 * other,
    calmar: 3 * other,
    returnPct: 4 * other,
    benchmarkReturnPct: 0,
    maxDrawdownPct: 0,
    trades: 0,
  });
  it('excess-sharpe: mean Sharpe - mean benchmark Sharpe - penalty x std of the Sharpes (worked by hand)', () => {
    // sharpes 1, 2, 3: mean 2, sample std 1; benchmark mean 0.5; penalty 0.1 -> 2 - 0.5 - 0.1 = 1.4
    const s = scoreFolds([fold(1, 0), fold(2, 1), fold(3, 0.5)], 'excess-sharpe', 0.1);
    expect(s.mean).toBe(2);
    expect(s.meanBenchmark).toBe(0.5);
    expect(s.spread).toBe(1);
    expect(s.score).toBeCloseTo(1.4, 12);
  });
  it('the other objectives: mean of their own fold values - penalty x their std, no benchmark', () => {
    const folds = [fold(1, 0, 1), fold(2, 1, 2), fold(3, 0.5, 3)];
    expect(scoreFolds(folds, 'sharpe', 0.1).score).toBeCloseTo(2 - 0.1, 12);
    expect(scoreFolds(folds, 'sortino', 0.1).score).toBeCloseTo(4 - 0.2, 12);
    expect(scoreFolds(folds, 'calmar', 0.1).score).toBeCloseTo(6 - 0.3, 12);
    expect(scoreFolds(folds, 'return', 0).score).toBeCloseTo(8, 12);
    expect(scoreFolds(folds, 'return', 0).meanBenchmark).toBe(0);
  });
});

describe('evaluateFolds', () => {
  const market = marketFromCloses(['A', 'B', 'C'], randomWalkCloses(3, 900, 21, 0.01));
  const folds = walkForwardWindows(
    900,
    WalkForwardSchema.parse({ folds: 3, validationBars: 200, placement: 'end' }),
  ).folds;
  const scoring = { spreadPenalty: 0.5, objective: 'excess-sharpe' } as const;
  const config = resolveSimConfig();

  it('equal-weight against itself scores minus the spread penalty only', async () => {
    const ew = createEqualWeight(market.symbols);
    const r = await evaluateFolds(market, () => ew, folds, config, scoring);
    expect(r.folds).toHaveLength(3);
    expect(r.returns).toHaveLength(600); // every bar of every fold, pooled for the deflated Sharpe
    for (const f of r.folds) expect(f.sharpe).toBe(f.benchmarkSharpe);
    expect(r.score).toBeCloseTo(-0.5 * r.spread, 12);
  });

  it('stops after the fold where the pruning hook says so, also when the hook answers later', async () => {
    const seen: number[] = [];
    const r = await evaluateFolds(
      market,
      () => createBuiltinPolicy('builtin:sma-cross?fast=5&slow=20', market.symbols),
      folds,
      config,
      { spreadPenalty: 0.1, objective: 'excess-sharpe' },
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

  it('asks for the policy of each fold in order (a walk-forward refits per fold)', async () => {
    const asked: number[] = [];
    const ew = createEqualWeight(market.symbols);
    await evaluateFolds(
      market,
      (k) => {
        asked.push(k);
        return ew;
      },
      folds,
      config,
      scoring,
    );
    expect(asked).toEqual([0, 1, 2]);
  });
});
