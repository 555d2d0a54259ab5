import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from './backoff.js';

const policy = { baseDelayMs: 1_000, maxDelayMs: 60_000, jitter: 0.5 };

describe('backoffDelayMs', () => {
  it('doubles from the base delay and stops at the cap (no jitter at u = 0.5)', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8].map((retry) => backoffDelayMs(retry, policy, () => 0.5));
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000]);
  });

  it('jitter scales each delay within [1 - jitter, 1 + jitter] and never beyond the cap', () => {
    expect(backoffDelayMs(3, policy, () => 0)).toBe(2_000);
    expect(backoffDelayMs(3, policy, () => 0.999999)).toBe(6_000);
    expect(backoffDelayMs(10, policy, () => 0.999999)).toBe(60_000);
    expect(backoffDelayMs(10, policy, () => 0)).toBe(30_000);
  });

  it('is never below the exchange rate limit, even with a zero base delay', () => {
    expect(backoffDelayMs(1, { baseDelayMs: 0, maxDelayMs: 10, jitter: 0 }, () => 0.5, 50)).toBe(50);
    expect(backoffDelayMs(1, policy, () => 0, 1_200)).toBe(1_200);
  });

  it('stays finite for absurd retry counts', () => {
    expect(backoffDelayMs(10_000, policy, () => 0.5)).toBe(60_000);
  });
});
