// Runs one exchange request with retries: transient failures wait out a backoff, anything else propagates.
import type { ServiceLogger } from '../../core/logger.js';
import { backoffDelayMs } from './backoff.js';
import type { RetryPolicy } from './exchange-config.js';
import { KIND_TEXT, retryableKind } from './exchange-errors.js';

/** What a retried request needs from its caller: the policy, a clock to wait on, a log, a way to give up. */
export interface RetryContext {
  readonly policy: RetryPolicy;
  /** Floor of every delay, ms: the exchange's rateLimit as ccxt knows it. */
  readonly minDelayMs: number;
  readonly sleep: (ms: number) => Promise<void>;
  /** Uniform in [0, 1): the jitter's source (seed it in tests). */
  readonly random: () => number;
  readonly logger: ServiceLogger;
  /** Aborted when the caller stops (the feed closed): no further attempt is made, the reason is thrown. */
  readonly signal?: AbortSignal;
}

/**
 * Calls `request` until it succeeds or `policy.maxAttempts` attempts failed. Only retryable exchange
 * failures (rate limit, 5xx, timeout, network, malformed response) are retried, each after a logged
 * backoff; the last one, and any other error at once, is thrown.
 */
export async function withRetry<T>(request: () => Promise<T>, context: RetryContext): Promise<T> {
  const { policy } = context;
  for (let attempt = 1; ; attempt++) {
    context.signal?.throwIfAborted();
    try {
      return await request();
    } catch (error) {
      const kind = retryableKind(error);
      if (kind === null || attempt >= policy.maxAttempts) throw error;
      const delayMs = backoffDelayMs(attempt, policy, context.random, context.minDelayMs);
      const httpStatus = (error as { context: Record<string, unknown> }).context['httpStatus'] ?? null;
      context.logger.warn(
        `exchange request failed (${KIND_TEXT[kind]}${httpStatus === null ? '' : `, HTTP ${httpStatus}`}), retry ${attempt} of ${policy.maxAttempts - 1} in ${(delayMs / 1000).toFixed(1)} s`,
        { kind, httpStatus, retry: attempt, delayMs, error: (error as Error).message },
      );
      await context.sleep(delayMs);
    }
  }
}
