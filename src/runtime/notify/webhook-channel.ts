// One webhook's delivery state inside the notifier: its queue, rate limit, held count and counters.
import type { NotificationKind, OutgoingEvent } from './notification.js';
import type { WebhookKind } from './payload.js';
import type { SlidingWindowLimiter } from './rate-limit.js';
import type { ResolvedWebhook } from './resolve-webhooks.js';

/** What a webhook's deliveries came to; the notifier's stats carry the sums over its webhooks. */
export interface DeliveryCounters {
  /** Deliveries that got a 2xx. */
  readonly sent: number;
  /** Deliveries given up (after retries, on a timeout, a 4xx, or at close). */
  readonly failed: number;
  /** Events held back by the rate limit (summarised in one later message). */
  readonly suppressed: number;
  /** Events dropped because the queue was full or the notifier closed. */
  readonly dropped: number;
  /** Extra attempts made. */
  readonly retries: number;
  /** Queued or in flight now. */
  readonly pending: number;
}

const COUNTERS = [
  'sent',
  'failed',
  'suppressed',
  'dropped',
  'retries',
  'pending',
] as const satisfies readonly (keyof DeliveryCounters)[];

/** Each counter summed over `stats` (one event to two webhooks counts twice); all zero for none. */
export function sumCounters(stats: readonly DeliveryCounters[]): DeliveryCounters {
  const sum = (key: keyof DeliveryCounters) => stats.reduce((n, s) => n + s[key], 0);
  return Object.fromEntries(COUNTERS.map((key) => [key, sum(key)])) as Record<keyof DeliveryCounters, number>;
}

/** A webhook's counters, for status output: safe to print (the label is redacted). */
export interface WebhookStats extends DeliveryCounters {
  readonly label: string;
  readonly kind: WebhookKind;
  /** The last failure's redacted reason ("HTTP 500", "timed out after 5000 ms"...), and when. */
  readonly lastError: string | null;
  readonly lastErrorAt: number | null;
  readonly lastSentAt: number | null;
}

export class WebhookChannel {
  readonly queue: OutgoingEvent[] = [];
  /** A worker is draining the queue. */
  running = false;
  inFlight = false;
  /** Events held back by the rate limit since the last notice, by kind. */
  held: { count: number; byKind: Partial<Record<NotificationKind, number>> } | null = null;
  noticeTimer: unknown = null;
  /** The last delivery failed (so the next success is worth a log line). */
  failing = false;
  sent = 0;
  failed = 0;
  suppressed = 0;
  dropped = 0;
  retries = 0;
  lastError: string | null = null;
  lastErrorAt: number | null = null;
  lastSentAt: number | null = null;

  constructor(
    readonly hook: ResolvedWebhook,
    readonly limiter: SlidingWindowLimiter,
  ) {}

  accepts(kind: NotificationKind): boolean {
    return this.hook.events === null || this.hook.events.has(kind);
  }

  recordSent(nowMs: number): void {
    this.sent++;
    this.failing = false;
    this.lastSentAt = nowMs;
  }

  recordFailure(reason: string, nowMs: number): void {
    this.failed++;
    this.failing = true;
    this.lastError = reason;
    this.lastErrorAt = nowMs;
  }

  /** Empties the queue, counting what it held as dropped. */
  dropQueued(): void {
    this.dropped += this.queue.length;
    this.queue.length = 0;
  }

  stats(): WebhookStats {
    return {
      label: this.hook.label,
      kind: this.hook.kind,
      sent: this.sent,
      failed: this.failed,
      suppressed: this.suppressed,
      dropped: this.dropped,
      retries: this.retries,
      pending: this.queue.length + (this.inFlight ? 1 : 0),
      lastError: this.lastError,
      lastErrorAt: this.lastErrorAt,
      lastSentAt: this.lastSentAt,
    };
  }
}
