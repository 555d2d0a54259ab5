// Builders for the supervisor's and the feed's events: data outages, stalled and restarted services.
import type { NotificationOf } from './notification.js';

export interface DataOutageInput {
  /** The feed or exchange, e.g. "binance". */
  readonly source: string;
  readonly status: 'started' | 'resolved';
  /** When it was noticed (started) or ended (resolved), epoch ms. */
  readonly ts: number;
  /** Time without a complete frame, ms. */
  readonly durationMs: number;
  readonly lastBarTs: number | null;
  readonly symbols?: readonly string[];
  readonly detail?: string | null;
}

/**
 * A 'data-outage' notification. started: warning (critical after 6 h); resolved: info. The dedupe key is
 * the source and the last bar before the gap, so a watchdog re-reporting the same gap on every check sends
 * it once per window, and its end once.
 */
export function dataOutageNotification(input: DataOutageInput): NotificationOf<'data-outage'> {
  const severity =
    input.status === 'resolved' ? 'info' : input.durationMs >= 6 * 3_600_000 ? 'critical' : 'warning';
  return {
    kind: 'data-outage',
    severity,
    ts: input.ts,
    dedupeKey: `data-outage:${input.source}:${input.status}:${input.lastBarTs ?? 'none'}`,
    source: input.source,
    status: input.status,
    durationMs: input.durationMs,
    lastBarTs: input.lastBarTs,
    symbols: [...(input.symbols ?? [])],
    detail: input.detail ?? null,
  };
}

export interface ServiceStalledInput {
  readonly service: string;
  /** When the stall was noticed, epoch ms (wall time). */
  readonly ts: number;
  readonly stalledForMs: number;
  readonly lastBarTs: number | null;
  readonly detail?: string | null;
}

/** A 'service-stalled' notification (critical); keyed by service and last bar: once per stall and window. */
export function serviceStalledNotification(input: ServiceStalledInput): NotificationOf<'service-stalled'> {
  return {
    kind: 'service-stalled',
    severity: 'critical',
    ts: input.ts,
    dedupeKey: `service-stalled:${input.service}:${input.lastBarTs ?? 'none'}`,
    service: input.service,
    stalledForMs: input.stalledForMs,
    lastBarTs: input.lastBarTs,
    detail: input.detail ?? null,
  };
}

export interface ServiceRestartedInput {
  readonly service: string;
  readonly ts: number;
  /** Restarts so far in this run, 1 for the first. */
  readonly restarts: number;
  readonly reason: string;
  readonly exitCode?: number | null;
}

/**
 * A 'service-restarted' notification: warning, critical from the third restart (a crash loop). Keyed by
 * service and restart count, so each restart is announced (the rate limit bounds a crash loop).
 */
export function serviceRestartedNotification(
  input: ServiceRestartedInput,
): NotificationOf<'service-restarted'> {
  return {
    kind: 'service-restarted',
    severity: input.restarts >= 3 ? 'critical' : 'warning',
    ts: input.ts,
    dedupeKey: `service-restarted:${input.service}:${input.restarts}`,
    service: input.service,
    restarts: input.restarts,
    reason: input.reason,
    exitCode: input.exitCode ?? null,
  };
}
