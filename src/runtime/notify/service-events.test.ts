import { describe, expect, it } from 'vitest';
import { describeEvent } from './message.js';
import { NotificationSchema } from './notification.js';
import {
  dataOutageNotification,
  serviceRestartedNotification,
  serviceStalledNotification,
} from './service-events.js';

const T = Date.UTC(2024, 2, 2, 8);
const H = 3_600_000;

describe('service and data events', () => {
  it('an outage warns, turns critical after 6 h, and its end is information', () => {
    const started = dataOutageNotification({
      source: 'binance',
      status: 'started',
      ts: T,
      durationMs: 2 * H,
      lastBarTs: T - 3 * H,
    });
    expect(started).toMatchObject({ severity: 'warning', symbols: [], detail: null });
    expect(
      dataOutageNotification({
        source: 'binance',
        status: 'started',
        ts: T,
        durationMs: 6 * H,
        lastBarTs: null,
      }).severity,
    ).toBe('critical');
    const resolved = dataOutageNotification({
      source: 'binance',
      status: 'resolved',
      ts: T,
      durationMs: 7 * H,
      lastBarTs: T - 3 * H,
    });
    expect(resolved.severity).toBe('info');
    // The same gap re-reported shares a key; its end has another.
    expect(
      dataOutageNotification({
        source: 'binance',
        status: 'started',
        ts: T + H,
        durationMs: 3 * H,
        lastBarTs: T - 3 * H,
      }).dedupeKey,
    ).toBe(started.dedupeKey);
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
