// Adam's bias-corrected steps by hand, and global gradient-norm clipping.
import { describe, expect, it } from 'vitest';
import { ADAM_BETA1, ADAM_BETA2, Adam, clipGradNorm } from './adam.js';

describe('Adam', () => {
  it('moves each parameter by lr x g / (|g| + eps) on the first step (bias correction)', () => {
    const p = Float64Array.of(1, -2, 0.5);
    const g = Float64Array.of(0.3, -4, 0);
    new Adam(3, 0.01, 1e-8).step(p, g);
    expect(p[0]).toBeCloseTo(1 - (0.01 * 0.3) / (0.3 + 1e-8), 14);
    expect(p[1]).toBeCloseTo(-2 + (0.01 * 4) / (4 + 1e-8), 14);
    expect(p[2]).toBe(0.5);
  });

  it('follows the moment recursions on the second step', () => {
    const p = Float64Array.of(0);
    const adam = new Adam(1, 0.1, 1e-8);
    adam.step(p, Float64Array.of(1));
    const after1 = p[0]!;
    adam.step(p, Float64Array.of(3));
    const m = ADAM_BETA1 * (1 - ADAM_BETA1) * 1 + (1 - ADAM_BETA1) * 3;
    const v = ADAM_BETA2 * (1 - ADAM_BETA2) * 1 + (1 - ADAM_BETA2) * 9;
    const mHat = m / (1 - ADAM_BETA1 ** 2);
    const vHat = v / (1 - ADAM_BETA2 ** 2);
    expect(p[0]).toBeCloseTo(after1 - (0.1 * mHat) / (Math.sqrt(vHat) + 1e-8), 14);
    expect(adam.steps).toBe(2);
  });
});

describe('clipGradNorm', () => {
  it('scales a gradient above the norm down to it and returns the norm before', () => {
    const g = Float64Array.of(3, 4);
    expect(clipGradNorm(g, 1)).toBe(5);
    expect(g[0]).toBeCloseTo(0.6, 15);
    expect(g[1]).toBeCloseTo(0.8, 15);
  });

  it('leaves a gradient within the norm unchanged', () => {
    const g = Float64Array.of(0.3, 0.4);
    expect(clipGradNorm(g, 1)).toBeCloseTo(0.5, 15);
    expect([...g]).toEqual([0.3, 0.4]);
  });
});
