// TPE: Optuna's defaults, start-up equals random search, determinism, direction, the good/bad split.
import { describe, expect, it } from 'vitest';
import type { Distribution, ParamValue } from '../distributions.js';
import type { FrozenTrial, TrialState } from '../trial.js';
import { RandomSampler } from './random-sampler.js';
import type { SampleContext } from './sampler.js';
import { defaultGamma, defaultWeights, TpeSampler } from './tpe-sampler.js';
import { splitTrials } from './tpe-split.js';

const unit: Distribution = { kind: 'float', low: 0, high: 1, log: false, step: null };
const maximize = (trialNumber: number): SampleContext => ({ trialNumber, direction: 'maximize' });

function trial(
  number: number,
  state: TrialState,
  value: number | null,
  params: Record<string, ParamValue>,
  intermediate: [number, number][] = [],
): FrozenTrial {
  return {
    trialId: 100 + number,
    number,
    state,
    value,
    params,
    distributions: Object.fromEntries(Object.keys(params).map((k) => [k, unit])),
    userAttrs: {},
    systemAttrs: {},
    intermediateValues: new Map(intermediate),
    datetimeStart: null,
    datetimeComplete: null,
  };
}

/** n COMPLETE trials of x in [0, 1] scored by -(x - 0.8)^2 (best near 0.8). */
function peaked(n: number, sign = 1): FrozenTrial[] {
  return Array.from({ length: n }, (_, i) => {
    const x = ((i * 0.618034) % 1) as number;
    return trial(i, 'COMPLETE', sign * -((x - 0.8) ** 2), { x });
  });
}

describe("TPE defaults are Optuna 3.1's", () => {
  it('gamma = min(ceil(0.1 n), 25)', () => {
    expect([0, 1, 10, 11, 60, 250, 1000].map(defaultGamma)).toEqual([0, 1, 1, 2, 6, 25, 25]);
  });

  it('weights: ones below 25, then a ramp from 1/n for the older ones (numpy linspace)', () => {
    expect(defaultWeights(0)).toEqual([]);
    expect(defaultWeights(24)).toEqual(new Array(24).fill(1));
    expect(defaultWeights(25)).toEqual(new Array(25).fill(1));
    expect(defaultWeights(26)).toEqual([1 / 26, ...new Array(25).fill(1)]);
    const w = defaultWeights(28);
    expect(w.slice(0, 3)).toEqual([1 / 28, 1 / 28 + (1 - 1 / 28) / 2, 1]);
    expect(w).toHaveLength(28);
  });

  it('refuses options out of range, naming them', () => {
    expect(() => new TpeSampler({ seed: 1, nEiCandidates: 0 })).toThrow(
      /nEiCandidates must be an integer >= 1, was 0/,
    );
    expect(() => new TpeSampler({ seed: 1, nStartupTrials: -1 })).toThrow(/nStartupTrials/);
    expect(() => new TpeSampler({ seed: 1, priorWeight: 0 })).toThrow(
      /priorWeight must be a finite number > 0/,
    );
  });
});

describe('TpeSampler', () => {
  it('samples exactly as RandomSampler with the same seed until nStartupTrials trials finished', () => {
    const tpe = new TpeSampler({ seed: 9 });
    const random = new RandomSampler({ seed: 9 });
    const history = [...peaked(9), trial(9, 'RUNNING', null, {}), trial(10, 'FAIL', null, { x: 0.8 })];
    for (let n = 11; n < 20; n++) {
      expect(tpe.sample(history, 'x', unit, maximize(n))).toBe(
        random.sample(history, 'x', unit, maximize(n)),
      );
    }
  });

  it('is deterministic for a seed, a history and a trial number, across instances', () => {
    const history = peaked(30);
    const values = [1, 2].map(() => new TpeSampler({ seed: 4 }).sample(history, 'x', unit, maximize(30)));
    expect(values[0]).toBe(values[1]);
    expect(new TpeSampler({ seed: 5 }).sample(history, 'x', unit, maximize(30))).not.toBe(values[0]);
  });

  it('concentrates on the good region after start-up', () => {
    const tpe = new TpeSampler({ seed: 2 });
    const history = peaked(40);
    const xs = Array.from(
      { length: 30 },
      (_, i) => tpe.sample(history, 'x', unit, maximize(40 + i)) as number,
    );
    const near = xs.filter((x) => Math.abs(x - 0.8) < 0.15).length;
    expect(near).toBeGreaterThanOrEqual(24);
  });

  it('minimising f proposes what maximising -f proposes', () => {
    const tpe = new TpeSampler({ seed: 8 });
    const max = tpe.sample(peaked(40), 'x', unit, maximize(40));
    const min = tpe.sample(peaked(40, -1), 'x', unit, { trialNumber: 40, direction: 'minimize' });
    expect(min).toBe(max);
  });

  it('ignores RUNNING and FAIL trials and trials without the parameter or outside its range', () => {
    const tpe = new TpeSampler({ seed: 3 });
    const base = peaked(30);
    const noisy = [...base, trial(30, 'RUNNING', null, { x: 0.1 }), trial(31, 'FAIL', null, { x: 0.1 })];
    expect(tpe.sample(noisy, 'x', unit, maximize(40))).toBe(tpe.sample(base, 'x', unit, maximize(40)));
    const stray = [...base, trial(32, 'COMPLETE', 5, { y: 1 }), trial(33, 'COMPLETE', 5, { x: 7 })];
    const value = tpe.sample(stray, 'x', unit, maximize(40)) as number;
    expect(value >= 0 && value <= 1).toBe(true);
  });

  it('refuses a study direction other than the one it was created for', () => {
    const tpe = new TpeSampler({ seed: 1, direction: 'maximize' });
    expect(() => tpe.sample([], 'x', unit, { trialNumber: 0, direction: 'minimize' })).toThrow(
      /created for direction maximize, the study is minimize/,
    );
  });
});

describe('splitTrials (Optuna 3.1 ranking)', () => {
  const history = [
    trial(0, 'COMPLETE', 1, { x: 0.0 }),
    trial(1, 'PRUNED', null, { x: 0.1 }, [
      [0, 50],
      [3, 9],
    ]),
    trial(2, 'COMPLETE', 3, { x: 0.2 }),
    trial(3, 'PRUNED', null, { x: 0.3 }, [[1, 100]]),
    trial(4, 'COMPLETE', Number.NaN, { x: 0.4 }),
    trial(5, 'PRUNED', null, { x: 0.5 }),
    trial(6, 'COMPLETE', 2, { x: 0.6 }),
    trial(7, 'COMPLETE', 2.5, { y: 1 }),
  ];

  it('COMPLETE by value first, then PRUNED by later step and last value; groups in trial order', () => {
    // maximize: 2 (3), 7 (2.5), 6 (2), 0 (1), 4 (NaN), then pruned 1 (step 3), 3 (step 1), 5 (none)
    const rankedX = [0.2, 0.6, 0.0, 0.4, 0.1, 0.3, 0.5];
    for (let cut = 0; cut <= 8; cut++) {
      const split = splitTrials(history, 'x', unit, 'maximize', true, () => cut);
      expect(split.n).toBe(8);
      const best = [0.2, null, ...rankedX.slice(1)].slice(0, cut).filter((v) => v !== null) as number[];
      expect(split.below).toEqual([...best].sort((a, b) => a - b));
      expect(split.below.length + split.above.length).toBe(7);
    }
  });

  it('minimize reverses the value order; PRUNED trials can be left out', () => {
    const split = splitTrials(history, 'x', unit, 'minimize', true, () => 2);
    expect(split.below).toEqual([0.0, 0.6]);
    const completeOnly = splitTrials(history, 'x', unit, 'minimize', false, () => 2);
    expect(completeOnly.n).toBe(5);
    expect(completeOnly.above).toEqual([0.2, 0.4]);
  });
});
