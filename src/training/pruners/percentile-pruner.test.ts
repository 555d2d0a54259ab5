// Median and percentile pruning with Optuna 3.1's rules: start-up, warm-up, intervals, NaN, direction.
import { describe, expect, it } from 'vitest';
import type { FrozenTrial, TrialState } from '../trial.js';
import { NopPruner } from './nop-pruner.js';
import { isFirstInIntervalStep, MedianPruner, nanPercentile, PercentilePruner } from './percentile-pruner.js';

function trial(number: number, state: TrialState, curve: number[], value: number | null = null): FrozenTrial {
  return {
    trialId: 1000 + number,
    number,
    state,
    value,
    params: {},
    distributions: {},
    userAttrs: {},
    systemAttrs: {},
    intermediateValues: new Map(curve.map((v, step) => [step, v])),
    datetimeStart: null,
    datetimeComplete: null,
  };
}

/** Five COMPLETE trials with values 1..5 at every step 0..3 (median 3). */
const finished = [1, 2, 3, 4, 5].map((v, i) => trial(i, 'COMPLETE', [v, v, v, v], v));
const running = (curve: number[]) => trial(99, 'RUNNING', curve);

describe('MedianPruner', () => {
  const pruner = new MedianPruner();

  it('prunes a trial worse than the median at its step and keeps a better or equal one', () => {
    expect(pruner.shouldPrune(running([2.5]), finished, 'maximize')).toBe(true);
    expect(pruner.shouldPrune(running([3.5]), finished, 'maximize')).toBe(false);
    expect(pruner.shouldPrune(running([3]), finished, 'maximize')).toBe(false);
    expect(pruner.shouldPrune(running([3.5]), finished, 'minimize')).toBe(true);
    expect(pruner.shouldPrune(running([2.5]), finished, 'minimize')).toBe(false);
  });

  it('compares the best value so far (Optuna) or the latest one', () => {
    const dipped = running([4, 1]);
    expect(pruner.shouldPrune(dipped, finished, 'maximize')).toBe(false);
    expect(new MedianPruner({ compare: 'latest' }).shouldPrune(dipped, finished, 'maximize')).toBe(true);
  });

  it('does not prune before nStartupTrials COMPLETE trials (PRUNED ones count only when asked)', () => {
    const four = finished.slice(0, 4);
    expect(pruner.shouldPrune(running([0]), four, 'maximize')).toBe(false);
    const withPruned = [...four, trial(7, 'PRUNED', [0.5])];
    expect(pruner.shouldPrune(running([0]), withPruned, 'maximize')).toBe(false);
    expect(
      new MedianPruner({ includePrunedTrials: true }).shouldPrune(running([0]), withPruned, 'maximize'),
    ).toBe(true);
    expect(new MedianPruner({ nStartupTrials: 0 }).shouldPrune(running([0]), [], 'maximize')).toBe(false);
  });

  it('ignores RUNNING and FAIL trials and the trial itself', () => {
    const noise = [
      trial(20, 'RUNNING', [100]),
      trial(21, 'FAIL', [100]),
      { ...running([100]), state: 'COMPLETE' as const },
    ];
    expect(pruner.shouldPrune(running([3.5]), [...finished, ...noise], 'maximize')).toBe(false);
  });

  it('respects warm-up steps and interval steps', () => {
    const warm = new MedianPruner({ nWarmupSteps: 2 });
    expect(warm.shouldPrune(running([0, 0]), finished, 'maximize')).toBe(false);
    expect(warm.shouldPrune(running([0, 0, 0]), finished, 'maximize')).toBe(true);
    const every2 = new MedianPruner({ intervalSteps: 2 });
    expect(every2.shouldPrune(running([0]), finished, 'maximize')).toBe(true);
    expect(every2.shouldPrune(running([0, 0]), finished, 'maximize')).toBe(false);
    expect(every2.shouldPrune(running([0, 0, 0]), finished, 'maximize')).toBe(true);
  });

  it('handles NaN as Optuna: a NaN result prunes, NaN references are ignored, none left keeps', () => {
    expect(pruner.shouldPrune(running([Number.NaN]), finished, 'maximize')).toBe(true);
    expect(pruner.shouldPrune(running([Number.NaN, 3.5]), finished, 'maximize')).toBe(false);
    const nanRefs = [1, 2, 3, 4, 5].map((v, i) => trial(i, 'COMPLETE', [Number.NaN], v));
    expect(pruner.shouldPrune(running([-100]), nanRefs, 'maximize')).toBe(false);
    const someNan = [...finished.slice(0, 4), trial(4, 'COMPLETE', [Number.NaN], 0)];
    // median of 1, 2, 3, 4 is 2.5
    expect(pruner.shouldPrune(running([2.4]), someNan, 'maximize')).toBe(true);
    expect(pruner.shouldPrune(running([2.6]), someNan, 'maximize')).toBe(false);
  });

  it('keeps a trial at a step no reference trial reached, or with fewer than nMinTrials values', () => {
    const short = [1, 2, 3, 4, 5].map((v, i) => trial(i, 'COMPLETE', [v], v));
    expect(pruner.shouldPrune(running([5, -1]), short, 'maximize')).toBe(false);
    expect(new MedianPruner({ nMinTrials: 6 }).shouldPrune(running([0]), finished, 'maximize')).toBe(false);
  });

  it('does not prune a trial that has reported nothing', () => {
    expect(pruner.shouldPrune(running([]), finished, 'maximize')).toBe(false);
  });
});

describe('PercentilePruner and helpers', () => {
  it('percentile 25 prunes only the bottom quarter (maximize uses 100 - q, as Optuna)', () => {
    const p25 = new PercentilePruner({ percentile: 25 });
    // maximize: threshold = 75th percentile of 1..5 = 4
    expect(p25.shouldPrune(running([3.9]), finished, 'maximize')).toBe(true);
    expect(p25.shouldPrune(running([4]), finished, 'maximize')).toBe(false);
    // minimize: threshold = 25th percentile = 2
    expect(p25.shouldPrune(running([2.1]), finished, 'minimize')).toBe(true);
  });

  it('nanPercentile interpolates linearly like numpy', () => {
    expect(nanPercentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(nanPercentile([4, Number.NaN, 1, 2, 3], 75)).toBe(3.25);
    expect(nanPercentile([Number.NaN], 50)).toBeNaN();
  });

  it('isFirstInIntervalStep follows Optuna', () => {
    expect(isFirstInIntervalStep(4, [0, 2, 4], 0, 2)).toBe(true);
    expect(isFirstInIntervalStep(5, [0, 2, 4, 5], 0, 2)).toBe(false);
    expect(isFirstInIntervalStep(7, [0, 7], 3, 5)).toBe(true);
  });

  it('refuses options out of range, naming them', () => {
    expect(() => new PercentilePruner({ percentile: 101 })).toThrow(
      /percentile must be in \[0, 100\], was 101/,
    );
    expect(() => new MedianPruner({ intervalSteps: 0 })).toThrow(
      /intervalSteps must be an integer >= 1, was 0/,
    );
    expect(() => new MedianPruner({ nWarmupSteps: -1 })).toThrow(/nWarmupSteps/);
  });

  it('NopPruner never prunes', () => {
    expect(new NopPruner().shouldPrune()).toBe(false);
  });
});
