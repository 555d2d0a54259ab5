// Random search: seeded per (seed, trial, parameter), uniform in each distribution's internal space.
import { describe, expect, it } from 'vitest';
import type { Distribution } from '../distributions.js';
import { RandomSampler } from './random-sampler.js';
import { drawStream, type SampleContext } from './sampler.js';

const at = (trialNumber: number): SampleContext => ({ trialNumber, direction: 'maximize' });
const unit: Distribution = { kind: 'float', low: 0, high: 1, log: false, step: null };

function draws(d: Distribution, n: number, seed = 11): number[] {
  const sampler = new RandomSampler({ seed });
  return Array.from({ length: n }, (_, i) => sampler.sample([], 'p', d, at(i)) as number);
}

describe('RandomSampler determinism', () => {
  it('same seed, trial and name give the same value; any change gives another', () => {
    const a = new RandomSampler({ seed: 42 });
    const b = new RandomSampler({ seed: 42 });
    const value = a.sample([], 'lr', unit, at(3));
    expect(b.sample([], 'lr', unit, at(3))).toBe(value);
    expect(a.sample([], 'lr', unit, at(4))).not.toBe(value);
    expect(a.sample([], 'momentum', unit, at(3))).not.toBe(value);
    expect(new RandomSampler({ seed: 43 }).sample([], 'lr', unit, at(3))).not.toBe(value);
  });

  it('a value does not depend on call order or on other draws', () => {
    const first = new RandomSampler({ seed: 5 });
    const x = first.sample([], 'x', unit, at(0));
    const y = first.sample([], 'y', unit, at(0));
    const second = new RandomSampler({ seed: 5 });
    second.sample([], 'z', unit, at(9));
    expect(second.sample([], 'y', unit, at(0))).toBe(y);
    expect(second.sample([], 'x', unit, at(0))).toBe(x);
  });

  it('streams of neighbouring trials and seeds are distinct (no shared random numbers)', () => {
    const seen = new Set<number>();
    for (const seed of [0, 1, 2 ** 32, 2 ** 52]) {
      for (let trial = 0; trial < 50; trial++) seen.add(drawStream(seed, trial, 'x').uniform());
    }
    expect(seen.size).toBe(200);
  });

  it('refuses a seed that is not a non-negative safe integer', () => {
    expect(() => new RandomSampler({ seed: -1 })).toThrow(/seed must be a non-negative safe integer, was -1/);
    expect(() => new RandomSampler({ seed: 1.5 })).toThrow(/was 1.5/);
  });
});

describe('RandomSampler distributions', () => {
  it('uniform floats have mean 1/2 and fill the range', () => {
    const xs = draws(unit, 2000);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean).toBeCloseTo(0.5, 1);
    expect(Math.min(...xs)).toBeLessThan(0.01);
    expect(Math.max(...xs)).toBeGreaterThan(0.99);
  });

  it('log floats are log-uniform: the median is near the geometric mean of the bounds', () => {
    const xs = draws({ kind: 'float', low: 1e-5, high: 1e-1, log: true, step: null }, 2001).sort(
      (a, b) => a - b,
    );
    expect(Math.log10(xs[1000])).toBeCloseTo(-3, 0);
  });

  it('stepped floats land on the grid, end points included with an equal share', () => {
    const xs = draws({ kind: 'float', low: 0.1, high: 0.5, log: false, step: 0.1 }, 2500);
    const counts = new Map<number, number>();
    for (const x of xs) counts.set(x, (counts.get(x) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual([0.1, 0.2, 0.3, 0.4, 0.5]);
    for (const c of counts.values()) expect(Math.abs(c - 500)).toBeLessThan(80);
  });

  it('ints with a step take every grid value equally often; log ints favour small values', () => {
    const xs = draws({ kind: 'int', low: 2, high: 10, log: false, step: 4 }, 1500);
    expect(new Set(xs)).toEqual(new Set([2, 6, 10]));
    for (const v of [2, 6, 10]) expect(Math.abs(xs.filter((x) => x === v).length - 500)).toBeLessThan(80);
    const logs = draws({ kind: 'int', low: 1, high: 1000, log: true, step: 1 }, 2000);
    expect(logs.every((x) => Number.isInteger(x) && x >= 1 && x <= 1000)).toBe(true);
    // Uniform in log(0.5)..log(1000.5), then rounded: P(x <= 31) = log(31.5 / 0.5) / log(1000.5 / 0.5).
    const expected = Math.log(31.5 / 0.5) / Math.log(1000.5 / 0.5);
    expect(Math.abs(logs.filter((x) => x <= 31).length / logs.length - expected)).toBeLessThan(0.03);
  });

  it('categoricals are uniform over the choices; single-valued distributions need no draw', () => {
    const sampler = new RandomSampler({ seed: 3 });
    const choices = ['a', 1, true, null];
    const d: Distribution = { kind: 'categorical', choices };
    const got = Array.from({ length: 2000 }, (_, i) => sampler.sample([], 'c', d, at(i)));
    for (const c of choices) expect(Math.abs(got.filter((g) => g === c).length - 500)).toBeLessThan(80);
    expect(sampler.sample([], 'k', { kind: 'int', low: 4, high: 4, log: false, step: 1 }, at(0))).toBe(4);
    expect(sampler.sample([], 'k', { kind: 'categorical', choices: ['only'] }, at(0))).toBe('only');
  });
});
