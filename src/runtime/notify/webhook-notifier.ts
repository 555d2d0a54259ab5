// The webhook notifier behind createNotifier: dedupe, per-webhook rate limit and queue, background delivery.
import type { ServiceLogger } from '../../lifecycle/contracts.js';
import type { Notification, OutgoingEvent, SuppressedNotice } from './notification.js';
import type { Notifier, NotifierOptions, NotifierStats, NotifierTimers } from './notifier.js';
import { formatPayload } from './payload.js';
import { type FetchLike, postWebhook } from './post-webhook.js';
import { Deduplicator, SlidingWindowLimiter } from './rate-limit.js';
import { sumCounters, WebhookChannel } from './webhook-channel.js';

/** The rate limit's window: maxPerMinute is per 60 s. */
export const RATE_WINDOW_MS = 60_000;

const REAL_TIMERS: NotifierTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Background timers must not keep the process alive (flush's deadline does, on purpose). */
function unref(handle: unknown): void {
  (handle as { unref?: () => void } | null)?.unref?.();
}

/** The delivery settings of NotifierOptions with their defaults filled in (units as documented there). */
function deliverySettings(options: NotifierOptions) {
  return Object.freeze({
    timeoutMs: options.timeoutMs ?? 5000,
    retries: options.retries ?? 2,
    maxPerMinute: options.maxPerMinute ?? 10,
    dedupeWindowMs: options.dedupeWindowMs ?? 60 * 60_000,
    maxQueue: options.maxQueue ?? 50,
    retryDelayMs: options.retryDelayMs ?? 1000,
    maxRetryDelayMs: options.maxRetryDelayMs ?? 30_000,
  });
}

/** See Notifier for the behaviour; one worker per webhook drains its queue in order. */
export class WebhookNotifier implements Notifier {
  readonly enabled = true;
  private readonly channels: WebhookChannel[];
  /** Keys sent recently (wall clock): one window for all webhooks, checked before fan-out. */
  private readonly dedupe: Deduplicator;
  private readonly abort = new AbortController();
  private readonly idleWaiters = new Set<() => void>();
  private readonly now: () => number;
  private readonly timers: NotifierTimers;
  private readonly fetch: FetchLike;
  private readonly settings: ReturnType<typeof deliverySettings>;
  private notified = 0;
  private deduplicated = 0;
  private closed = false;
  private readonly logger: ServiceLogger;

  constructor(options: NotifierOptions) {
    this.logger = options.logger;
    this.now = options.now ?? Date.now;
    this.timers = options.timers ?? REAL_TIMERS;
    this.fetch = options.fetch ?? ((url, init) => fetch(url, init));
    this.settings = deliverySettings(options);
    this.dedupe = new Deduplicator(this.settings.dedupeWindowMs);
    this.channels = options.webhooks.map(
      (hook) =>
        new WebhookChannel(hook, new SlidingWindowLimiter(this.settings.maxPerMinute, RATE_WINDOW_MS)),
    );
  }

  notify(event: Notification): void {
    if (this.closed) return;
    try {
      this.notified++;
      const now = this.now();
      if (!this.dedupe.pass(event.dedupeKey, now)) {
        this.deduplicated++;
        return;
      }
      for (const ch of this.channels) {
        if (!ch.accepts(event.kind)) continue;
        if (ch.limiter.tryTake(now)) this.enqueue(ch, event);
        else this.hold(ch, event, now);
      }
    } catch (error) {
      this.log('error', 'notification not queued', { kind: event?.kind, error: String(error) });
    }
  }

  stats(): NotifierStats {
    const webhooks = this.channels.map((ch) => ch.stats());
    return {
      enabled: true,
      notified: this.notified,
      deduplicated: this.deduplicated,
      ...sumCounters(webhooks),
      webhooks,
    };
  }

  async flush(timeoutMs: number): Promise<void> {
    if (!this.closed) for (const ch of this.channels) this.releaseHeld(ch, true);
    if (this.idle()) return;
    await new Promise<void>((resolve) => {
      const finish = () => {
        this.timers.clearTimeout(deadline);
        this.idleWaiters.delete(finish);
        resolve();
      };
      // Not unref'd: a process awaiting flush at shutdown must stay alive until the deadline.
      const deadline = this.timers.setTimeout(finish, Math.max(0, timeoutMs));
      this.idleWaiters.add(finish);
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.abort.abort();
    for (const ch of this.channels) {
      if (ch.noticeTimer !== null) this.timers.clearTimeout(ch.noticeTimer);
      ch.noticeTimer = null;
      ch.held = null;
      ch.dropQueued();
    }
    this.settleIfIdle();
  }

  private enqueue(ch: WebhookChannel, event: OutgoingEvent): void {
    if (ch.queue.length >= this.settings.maxQueue) {
      ch.dropped++;
      this.log('warn', 'notification dropped: webhook queue full', {
        webhook: ch.hook.label,
        kind: event.kind,
        queued: ch.queue.length,
      });
      return;
    }
    ch.queue.push(event);
    if (ch.running) return;
    ch.running = true;
    // Deliveries start after the caller's synchronous code: notify() never runs fetch itself.
    queueMicrotask(() => void this.run(ch));
  }

  /** Over the rate limit: count it and make sure one notice goes out when a slot frees. */
  private hold(ch: WebhookChannel, event: Notification, now: number): void {
    ch.suppressed++;
    if (ch.held === null) {
      ch.held = { count: 0, byKind: {} };
      this.log('warn', 'notification rate limit reached; holding back', {
        webhook: ch.hook.label,
        maxPerMinute: this.settings.maxPerMinute,
      });
    }
    ch.held.count++;
    ch.held.byKind[event.kind] = (ch.held.byKind[event.kind] ?? 0) + 1;
    this.scheduleNotice(ch, now);
  }

  private scheduleNotice(ch: WebhookChannel, now: number): void {
    if (ch.noticeTimer !== null) return;
    const delay = Math.max(0, ch.limiter.nextFreeMs(now) - now);
    ch.noticeTimer = this.timers.setTimeout(() => {
      ch.noticeTimer = null;
      this.releaseHeld(ch, false);
    }, delay);
    unref(ch.noticeTimer);
  }

  /** Sends "N more suppressed" once the limit allows (or at once when `force`, at flush). */
  private releaseHeld(ch: WebhookChannel, force: boolean): void {
    const held = ch.held;
    if (held === null || this.closed) return;
    const now = this.now();
    if (force) ch.limiter.force(now);
    else if (!ch.limiter.tryTake(now)) {
      this.scheduleNotice(ch, now);
      return;
    }
    if (ch.noticeTimer !== null) this.timers.clearTimeout(ch.noticeTimer);
    ch.noticeTimer = null;
    ch.held = null;
    const notice: SuppressedNotice = {
      kind: 'notifications-suppressed',
      severity: 'warning',
      ts: now,
      count: held.count,
      byKind: held.byKind,
    };
    this.enqueue(ch, notice);
  }

  private async run(ch: WebhookChannel): Promise<void> {
    try {
      for (let event = ch.queue.shift(); event !== undefined; event = ch.queue.shift()) {
        ch.inFlight = true;
        try {
          await this.deliver(ch, event);
        } catch (error) {
          // Only a bug gets here (postWebhook never throws): count it, keep the worker alive.
          ch.failed++;
          this.log('error', 'notification delivery crashed', {
            webhook: ch.hook.label,
            error: ch.hook.url.scrub(String(error)),
          });
        } finally {
          ch.inFlight = false;
        }
      }
    } finally {
      ch.running = false;
      this.settleIfIdle();
    }
  }

  private async deliver(ch: WebhookChannel, event: OutgoingEvent): Promise<void> {
    const body = JSON.stringify(formatPayload(ch.hook.kind, event));
    for (let attempt = 1; ; attempt++) {
      const outcome = await postWebhook({
        fetch: this.fetch,
        url: ch.hook.url,
        body,
        timeoutMs: this.settings.timeoutMs,
        cancel: this.abort.signal,
      });
      if (outcome.ok) {
        if (ch.failing)
          this.log('info', 'notifications delivered again', { webhook: ch.hook.label, kind: event.kind });
        ch.recordSent(this.now());
        return;
      }
      const wait = outcome.retryAfterMs ?? this.settings.retryDelayMs * 2 ** (attempt - 1);
      const giveUp =
        !outcome.retryable ||
        attempt > this.settings.retries ||
        this.closed ||
        wait > this.settings.maxRetryDelayMs;
      if (giveUp) {
        ch.recordFailure(outcome.reason, this.now());
        this.log('warn', 'notification failed', {
          webhook: ch.hook.label,
          kind: event.kind,
          attempts: attempt,
          status: outcome.status,
          error: outcome.reason,
        });
        return;
      }
      ch.retries++;
      await this.sleep(wait);
    }
  }

  /** Resolves after `ms`, or at once when the notifier closes. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const signal = this.abort.signal;
      if (signal.aborted) return resolve();
      const done = () => {
        this.timers.clearTimeout(handle);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const handle = this.timers.setTimeout(done, ms);
      unref(handle);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  private idle(): boolean {
    return this.channels.every((ch) => !ch.running && ch.queue.length === 0);
  }

  private settleIfIdle(): void {
    if (this.idleWaiters.size === 0 || !this.idle()) return;
    for (const finish of [...this.idleWaiters]) finish();
  }

  /** A logger that throws must not break notify() or a worker. */
  private log(level: 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown>): void {
    try {
      this.logger[level](message, fields);
    } catch {
      // Logging is best effort here; nothing better to do.
    }
  }
}
