import { describe, expect, it } from 'vitest';
import { describeEvent } from './message.js';
import { NotificationSchema } from './notification.js';
import {
  type DataOutageInput,
  dataOutageNotification,
  serviceRestartedNotification,
  serviceStalledNotification,
} from './service-events.js';

const T = Date.UTC(2024, 2, 2, 8);
const H = 3_600_000;

describe('service and data events', () => {
  it('an outage warns, turns critical after 6 h, and its end is information', () => {
    /** An outage of binance reported at `ts`, its last complete bar 3 h before T. */
    const outage = (
      status: DataOutageInput['status'],
      durationMs: number,
      ts = T,
      lastBarTs: number | null = T - 3 * H,
    ) => dataOutageNotification({ source: 'binance', status, ts, durationMs, lastBarTs });
    const started = outage('started', 2 * H);
    expect(started).toMatchObject({ severity: 'warning', symbols: [], detail: null });
    expect(outage('started', 6 * H, T, null).severity).toBe('critical');
    const resolved = outage('resolved', 7 * H);
    expect(resolved.severity).toBe('info');
    // The same gap re-reported shares a key; its end has another.
    expect(outage('started', 3 * H, T + H).dedupeKey).toBe(started.dedupeKey);
    expect(resolved.dedupeKey).not.toBe(started.dedupeKey);
    for (const n of [started, resolved]) expect(NotificationSchema.safeParse(n).success).toBe(true);
  });

  it('a stall is critical and keyed by the last bar; restarts turn critical from the third', () => {
    const stalled = serviceStalledNotification({
      service: 'paper',
      ts: T,
      stalledForMs: 20 * 60_000,
      lastBarTs: T - H,
    });
    expect(stalled).toMatchObject({ severity: 'critical', dedupeKey: `service-stalled:paper:${T - H}` });
    expect(describeEvent(stalled).title).toBe('Service paper stalled: no progress for 20 min');
    const r = (restarts: number) =>
      serviceRestartedNotification({ service: 'arena', ts: T, restarts, reason: 'exit 1' });
    expect([1, 2, 3].map((n) => r(n).severity)).toEqual(['warning', 'warning', 'critical']);
    expect(r(1).dedupeKey).not.toBe(r(2).dedupeKey);
    expect(r(2).exitCode).toBeNull();
  });
});
