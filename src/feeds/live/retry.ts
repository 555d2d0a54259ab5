// Runs one exchange request with retries: transient failures wait out a backoff, anything else propagates.
import { DataError, type HybridTraderError } from '../../core/errors.js';
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

/**
 * Runs a start-up step (`what`: "checking the market", "loading the warm-up") until it succeeds or
 * `deadlineMs` has passed since `startedMs`: a retryable failure that outlasted its request's own retries
 * (a burst of 429 or 503 while a daemon starts) is logged and tried again after a backoff, never past the
 * deadline; then the last failure is thrown with the deadline named. Anything else is thrown at once.
 */
export async function withStartupDeadline<T>(
  what: string,
  step: () => Promise<T>,
  context: RetryContext & {
    readonly now: () => number;
    readonly startedMs: number;
    readonly deadlineMs: number;
  },
): Promise<T> {
  const until = context.startedMs + context.deadlineMs;
  for (let failed = 0; ; failed++) {
    context.signal?.throwIfAborted();
    try {
      const result = await step();
      if (failed > 0)
        context.logger.info(`exchange reachable again at start-up after ${failed} failed attempt(s)`, {
          failedAttempts: failed,
        });
      return result;
    } catch (error) {
      if (retryableKind(error) === null) throw error;
      const left = until - context.now();
      const failure = error as HybridTraderError;
      if (left <= 0)
        throw new DataError(
          failure.code,
          `${failure.message}; the exchange did not answer within the start-up deadline of ${context.deadlineMs / 1000} s (exchange.startupDeadlineSeconds)`,
          { ...failure.context, startupDeadlineMs: context.deadlineMs },
          { cause: error },
        );
      // the request's own retries were spent: continue the schedule where they left off, up to the deadline
      const delayMs = Math.min(
        left,
        backoffDelayMs(
          failed + context.policy.maxAttempts,
          context.policy,
          context.random,
          context.minDelayMs,
        ),
      );
      context.logger.warn(
        `exchange not reachable at start-up (${what}): ${failure.message}; trying again in ${(delayMs / 1000).toFixed(1)} s, until ${new Date(until).toISOString()} (start-up deadline ${context.deadlineMs / 1000} s)`,
        {
          kind: retryableKind(error),
          delayMs,
          startupDeadlineMs: context.deadlineMs,
          error: failure.message,
        },
      );
      await context.sleep(delayMs);
    }
  }
}
