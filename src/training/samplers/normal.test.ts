// erfc, interval masses and truncated normal draws against reference values.
import { describe, expect, it } from 'vitest';
import { RandomStream } from '../../core/random.js';
import { erfc, normalIntervalMass, normalUpperTail, sampleTruncatedStandardNormal } from './normal.js';

// Reference values: Python's math.erfc.
const ERFC: [number, number][] = [
  [0, 1],
  [0.1, 0.8875370839817152],
  [0.5, 0.4795001221869535],
  [1, 0.15729920705028513],
  [2, 0.004677734981047265],
  [2.49, 0.000429287867733913],
  [2.51, 0.0003857054817242798],
  [3, 2.2090496998585438e-5],
  [5, 1.5374597944280351e-12],
  [10, 2.088487583762545e-45],
  [26, 5.663192408856143e-296],
];

describe('normal distribution helpers', () => {
  it('erfc has a relative error below 1e-12 on both sides of the series / fraction switch', () => {
    for (const [x, expected] of ERFC) {
      expect(Math.abs(erfc(x) - expected) / expected).toBeLessThan(1e-12);
      expect(erfc(-x)).toBeCloseTo(2 - expected, 14);
    }
    expect(erfc(40)).toBe(0);
    expect(erfc(Number.NaN)).toBeNaN();
  });

  it('interval masses are exact in either tail', () => {
    expect(normalUpperTail(1.959963984540054)).toBeCloseTo(0.025, 14);
    expect(normalIntervalMass(-1.959963984540054, 1.959963984540054)).toBeCloseTo(0.95, 14);
    expect(normalIntervalMass(8, 9) / (normalUpperTail(8) - normalUpperTail(9))).toBeCloseTo(1, 12);
    expect(normalIntervalMass(-9, -8)).toBeCloseTo(normalIntervalMass(8, 9), 25);
    expect(normalIntervalMass(8, 9)).toBeGreaterThan(6e-16);
    expect(normalIntervalMass(1, 1)).toBe(0);
  });

  it('truncated draws stay in bounds and have the truncated mean', () => {
    const stream = new RandomStream(1, 'truncated');
    for (const [a, b] of [
      [-1, 2],
      [-0.3, 0.4],
      [-40, 0],
    ]) {
      const n = 4000;
      let sum = 0;
      for (let i = 0; i < n; i++) {
        const z = sampleTruncatedStandardNormal(stream, a, b);
        expect(z >= a && z <= b).toBe(true);
        sum += z;
      }
      const density = (x: number) => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
      const mean = (density(a) - density(b)) / normalIntervalMass(a, b);
      expect(Math.abs(sum / n - mean)).toBeLessThan(0.04);
    }
  });

  it('refuses a truncation interval that does not contain 0', () => {
    expect(() => sampleTruncatedStandardNormal(new RandomStream(1, 't'), 0.5, 2)).toThrow(/must contain 0/);
  });
});
