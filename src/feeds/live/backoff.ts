// The retry schedule of exchange requests: exponential backoff with jitter, floored at the exchange's rate limit.
import type { RetryPolicy } from './exchange-config.js';

/**
 * Delay in ms before retry number `retry` (1 = the first retry): `baseDelayMs * 2^(retry-1)` capped at
 * `maxDelayMs`, scaled by `1 + jitter * (2u - 1)` for `u = random()` in [0, 1), then never below
 * `minDelayMs` (ccxt's rateLimit: the exchange's minimum spacing of requests) nor above the cap.
 * Pure: the same inputs give the same delay.
 */
export function backoffDelayMs(
  retry: number,
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs' | 'jitter'>,
  random: () => number,
  minDelayMs = 0,
): number {
  const exponent = Math.min(Math.max(retry - 1, 0), 50); // 2^50 ms is beyond any cap: avoids Infinity
  const nominal = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** exponent);
  const jittered = nominal * (1 + policy.jitter * (2 * random() - 1));
  const cap = Math.max(policy.maxDelayMs, minDelayMs);
  return Math.round(Math.min(cap, Math.max(minDelayMs, jittered)));
}
