// The Notifier: takes events on the caller's path in O(webhooks) without I/O, delivers them in the background.
import type { ServiceLogger } from '../../lifecycle/contracts.js';
import type { Notification } from './notification.js';
import type { NotificationsConfig } from './notify-config.js';
import type { FetchLike } from './post-webhook.js';
import { type Env, type ResolvedWebhook, resolveWebhooks } from './resolve-webhooks.js';
import { type DeliveryCounters, sumCounters, type WebhookStats } from './webhook-channel.js';
import { WebhookNotifier } from './webhook-notifier.js';

/** The notifier's counters; the delivery counters are the sums of its webhooks' (see sumCounters). */
export interface NotifierStats extends DeliveryCounters {
  /** False for the disabled notifier (no webhook): it sends nothing and counts nothing. */
  readonly enabled: boolean;
  /** Events given to notify() (before dedupe). */
  readonly notified: number;
  /** Events dropped as repeats of a dedupe key within the window. */
  readonly deduplicated: number;
  readonly webhooks: readonly WebhookStats[];
}

export interface Notifier {
  readonly enabled: boolean;
  /**
   * Queues `event` for every webhook that takes its kind and returns at once: no network, no await, never
   * throws. Dedupe (same key within the window: once), then per webhook the rate limit (excess held and
   * summarised later), then a bounded queue.
   */
  notify(event: Notification): void;
  stats(): NotifierStats;
  /**
   * Sends held rate-limit notices now and waits until every queue is empty or `timeoutMs` has passed,
   * whichever comes first; never rejects. For shutdown: `await flush(ms)` then `close()`.
   */
  flush(timeoutMs: number): Promise<void>;
  /** Aborts requests in flight, drops what is queued (counted as dropped); notify() is a no-op after. */
  close(): void;
}

/** Timers the notifier uses (retry waits, rate-limit notices, flush's deadline); injectable for tests. */
export interface NotifierTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface NotifierOptions {
  readonly webhooks: readonly ResolvedWebhook[];
  /** Failures and rate-limit episodes, with the webhook's redacted label only. */
  readonly logger: ServiceLogger;
  /** Per attempt, ms (default 5000). */
  readonly timeoutMs?: number;
  /** Extra attempts after a 429, 5xx or network error (default 2). */
  readonly retries?: number;
  /** Per webhook, in any 60 s (default 10). */
  readonly maxPerMinute?: number;
  /** Same dedupe key within this window: sent once (default 60 min; 0 = off). */
  readonly dedupeWindowMs?: number;
  /** Events waiting per webhook beyond which new ones are dropped and counted (default 50). */
  readonly maxQueue?: number;
  /** Wait before the first retry, doubled for each next one (default 1000 ms). */
  readonly retryDelayMs?: number;
  /** A Retry-After longer than this is not waited for: the delivery fails (default 30 s). */
  readonly maxRetryDelayMs?: number;
  readonly fetch?: FetchLike;
  /** Wall clock for the rate limit and dedupe windows (default Date.now). */
  readonly now?: () => number;
  readonly timers?: NotifierTimers;
}

const EMPTY_STATS: NotifierStats = Object.freeze({
  enabled: false,
  notified: 0,
  deduplicated: 0,
  ...sumCounters([]),
  webhooks: [],
});

/** The notifier of a workspace without webhooks: every call is a no-op. */
export const DISABLED_NOTIFIER: Notifier = Object.freeze({
  enabled: false,
  notify: () => {},
  stats: () => EMPTY_STATS,
  flush: () => Promise.resolve(),
  close: () => {},
});

/** A notifier for `options.webhooks`; DISABLED_NOTIFIER when there are none. */
export function createNotifier(options: NotifierOptions): Notifier {
  return options.webhooks.length === 0 ? DISABLED_NOTIFIER : new WebhookNotifier(options);
}

export interface NotifierDeps {
  /** process.env, passed by the config module. */
  readonly env: Env;
  readonly logger: ServiceLogger;
  readonly fetch?: FetchLike;
  readonly now?: () => number;
  readonly timers?: NotifierTimers;
  /** Wait before the first retry (default 1000 ms). */
  readonly retryDelayMs?: number;
}

/** Resolves the webhooks of `config` and the environment and builds the notifier (throws ConfigError). */
export function notifierFromConfig(config: NotificationsConfig, deps: NotifierDeps): Notifier {
  return createNotifier({
    ...deps,
    webhooks: resolveWebhooks(config, deps.env),
    timeoutMs: config.timeoutMs,
    retries: config.retries,
    maxPerMinute: config.maxPerMinute,
    dedupeWindowMs: config.dedupeWindowMinutes * 60_000,
  });
}
