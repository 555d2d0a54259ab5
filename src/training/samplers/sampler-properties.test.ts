// Property tests: every value either sampler returns belongs to its distribution, for any valid space.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Distribution, ParamValue } from '../distributions.js';
import type { FrozenTrial } from '../trial.js';
import { checkDistribution } from './check-distribution.js';
import { RandomSampler } from './random-sampler.js';
import type { Sampler } from './sampler.js';
import { containsValue } from './search-space.js';
import { TpeSampler } from './tpe-sampler.js';

const floatArb: fc.Arbitrary<Distribution> = fc
  .record({
    low: fc.double({ min: -1e6, max: 1e6, noNaN: true }),
    width: fc.double({ min: 1e-6, max: 1e6, noNaN: true }),
    mode: fc.constantFrom('plain', 'log', 'step'),
    steps: fc.integer({ min: 1, max: 50 }),
    decimals: fc.integer({ min: 0, max: 4 }),
  })
  .map(({ low, width, mode, steps, decimals }): Distribution => {
    if (mode === 'log')
      return {
        kind: 'float',
        low: 1e-6 + Math.abs(low),
        high: 1e-6 + Math.abs(low) + width,
        log: true,
        step: null,
      };
    if (mode === 'step') {
      // Decimal grids like the ones people declare: low and step with a few decimals.
      const step = Number((10 ** -decimals * (1 + (steps % 7))).toFixed(decimals));
      const lowOnGrid = Number((Math.round(low) / 10 ** decimals).toFixed(decimals));
      return {
        kind: 'float',
        low: lowOnGrid,
        high: Number((lowOnGrid + steps * step).toFixed(decimals)),
        log: false,
        step,
      };
    }
    return { kind: 'float', low, high: low + width, log: false, step: null };
  });

const intArb: fc.Arbitrary<Distribution> = fc
  .record({
    low: fc.integer({ min: -1000, max: 1000 }),
    steps: fc.integer({ min: 0, max: 200 }),
    step: fc.integer({ min: 1, max: 9 }),
    log: fc.boolean(),
  })
  .map(
    ({ low, steps, step, log }): Distribution =>
      log
        ? { kind: 'int', low: Math.abs(low) + 1, high: Math.abs(low) + 1 + steps, log: true, step: 1 }
        : { kind: 'int', low, high: low + steps * step, log: false, step },
  );

const categoricalArb: fc.Arbitrary<Distribution> = fc
  .uniqueArray(fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null)), {
    minLength: 1,
    maxLength: 8,
  })
  .map((choices): Distribution => ({ kind: 'categorical', choices }));

const distributionArb = fc.oneof(floatArb, intArb, categoricalArb);

/** COMPLETE trials whose values of "p" were drawn at random and scored by the fast-check seed. */
function history(d: Distribution, n: number, seed: number): FrozenTrial[] {
  const random = new RandomSampler({ seed });
  const trials: FrozenTrial[] = [];
  for (let number = 0; number < n; number++) {
    const value: ParamValue = random.sample([], 'p', d, { trialNumber: number, direction: 'maximize' });
    trials.push({
      trialId: number + 1,
      number,
      state: 'COMPLETE',
      value: Math.sin(number * 12.9898 + seed) * 100,
      params: { p: value },
      distributions: { p: d },
      userAttrs: {},
      systemAttrs: {},
      intermediateValues: new Map(),
      datetimeStart: null,
      datetimeComplete: null,
    });
  }
  return trials;
}

function respects(sampler: (seed: number) => Sampler, withHistory: boolean) {
  fc.assert(
    fc.property(distributionArb, fc.nat(1000), fc.nat(30), (d, seed, trialNumber) => {
      checkDistribution('p', d);
      const past = withHistory ? history(d, 12 + (trialNumber % 20), seed) : [];
      const value = sampler(seed).sample(past, 'p', d, {
        trialNumber: trialNumber + 40,
        direction: 'maximize',
      });
      expect(containsValue(d, value)).toBe(true);
      if (d.kind === 'int') expect(Number.isInteger(value)).toBe(true);
    }),
    { numRuns: 150 },
  );
}

describe('sampled values respect their distribution (fast-check)', () => {
  it('RandomSampler: bounds, grids, log ranges, integers, members', () => {
    respects((seed) => new RandomSampler({ seed }), false);
  });

  it('TpeSampler after start-up: bounds, grids, log ranges, integers, members', () => {
    respects((seed) => new TpeSampler({ seed, nStartupTrials: 5, nEiCandidates: 8 }), true);
  });
});
