// Distribution checks and the internal representation every sampler relies on.
import { describe, expect, it } from 'vitest';
import type { Distribution, FloatDistribution, IntDistribution } from '../distributions.js';
import { checkDistribution } from './check-distribution.js';
import { containsValue, fromInternal, gridPoint, numericSpace, toInternal } from './search-space.js';

const float = (low: number, high: number, log = false, step: number | null = null): FloatDistribution => ({
  kind: 'float',
  low,
  high,
  log,
  step,
});
const int = (low: number, high: number, log = false, step = 1): IntDistribution => ({
  kind: 'int',
  low,
  high,
  log,
  step,
});

describe('checkDistribution', () => {
  it('accepts valid distributions, single-valued ones included', () => {
    for (const d of [
      float(0, 1),
      float(1e-5, 1, true),
      float(0.1, 0.5, false, 0.1),
      float(2, 2),
      int(1, 9, false, 2),
      int(1, 1024, true),
      { kind: 'categorical', choices: ['a', 1, false, null] } as Distribution,
    ]) {
      expect(checkDistribution('p', d)).toBe(d);
    }
  });

  it('refuses bad spaces with the parameter and the problem in the message', () => {
    const cases: [Distribution, RegExp][] = [
      [float(2, 1), /parameter "p": low must be <= high, was low 2 > high 1/],
      [float(0, 1, true), /parameter "p": log requires low > 0, was 0/],
      [float(1, 2, true, 0.5), /step cannot be used with log/],
      [float(0, 1, false, 0.3), /step 0.3 must divide high - low \(1\)/],
      [float(0, 1, false, -0.1), /step must be a positive finite number/],
      [float(0, Number.POSITIVE_INFINITY), /high must be a finite number, was Infinity/],
      [float(Number.NaN, 1), /low must be a finite number, was NaN/],
      [int(0, 10, true), /log requires low >= 1, was 0/],
      [int(1, 10, true, 3), /step must be 1 when log is true, was 3/],
      [int(0, 10, false, 3), /step 3 must divide high - low \(10\)/],
      [int(0.5, 10), /low must be an integer, was 0.5/],
      [int(0, 10, false, 0), /step must be a positive integer, was 0/],
      [{ kind: 'categorical', choices: [] }, /choices must be a non-empty array/],
      [{ kind: 'categorical', choices: ['a', 'a'] }, /choice "a" appears twice/],
      [
        { kind: 'categorical', choices: [Number.NaN] },
        /choice 0 must be a string, finite number, boolean or null/,
      ],
    ];
    for (const [d, message] of cases) expect(() => checkDistribution('p', d)).toThrow(message);
    expect(() => checkDistribution('', float(0, 1))).toThrow(/non-empty string/);
  });

  it('accepts decimal grids that floating point makes inexact', () => {
    expect(() => checkDistribution('p', float(0, 0.3, false, 0.1))).not.toThrow();
    expect(() => checkDistribution('p', float(0.1, 0.7, false, 0.2))).not.toThrow();
  });
});

describe('internal representation', () => {
  it('bounds: log space, half a step beyond grids, half a unit for log ints', () => {
    expect(numericSpace(float(1, Math.E, true))).toEqual({ low: 0, high: 1, step: null });
    expect(numericSpace(int(0, 10, false, 2))).toEqual({ low: -1, high: 11, step: 2 });
    const logInt = numericSpace(int(1, 10, true));
    expect(logInt.low).toBeCloseTo(Math.log(0.5), 15);
    expect(logInt.high).toBeCloseTo(Math.log(10.5), 15);
  });

  it('round trips and clamps into the distribution', () => {
    const grid = float(0.1, 0.5, false, 0.1);
    expect(fromInternal(grid, 0.29)).toBe(0.3);
    expect(fromInternal(grid, 0.56)).toBe(0.5);
    expect(fromInternal(grid, -3)).toBe(0.1);
    expect(fromInternal(int(2, 10, false, 4), 7.9)).toBe(6);
    expect(fromInternal(int(1, 1000, true), Math.log(2.4))).toBe(2);
    expect(toInternal(float(1, 100, true), 10)).toBeCloseTo(Math.log(10), 15);
    expect(toInternal({ kind: 'categorical', choices: ['a', null] }, null)).toBe(1);
    expect(toInternal(int(0, 10, false, 2), 3)).toBeNull();
    expect(containsValue(float(0.1, 0.5, false, 0.1), 0.30000000000000004)).toBe(true);
    expect(containsValue(float(0.1, 0.5, false, 0.1), 0.35)).toBe(false);
  });

  it('grid points are rounded to the decimals of low and step', () => {
    expect(gridPoint(0.1, 0.1, 2)).toBe(0.3);
    expect(gridPoint(0, 1e-7, 3)).toBe(3e-7);
    expect(gridPoint(0, 1 / 3, 2)).toBe(2 / 3);
  });
});
