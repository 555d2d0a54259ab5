import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  HEARTBEAT_EVERY_MS,
  HEARTBEAT_PATH,
  type Heartbeat,
  HeartbeatRecorder,
  readHeartbeat,
  serviceHealth,
} from './heartbeat.js';

const HOUR = 3_600_000;
const beat = (
  feed: 'live' | 'replay',
  wallTime: string,
  state: 'running' | 'failed' = 'running',
): Heartbeat => ({
  schemaVersion: 1,
  pid: 1,
  feed,
  timeframeMs: HOUR,
  frames: 3,
  lastBarTs: 0,
  wallTime,
  services: {
    paper: { lastBarTs: 0, wallTime, restarts: 0, state, lastError: null },
    arena: {
      lastBarTs: 0,
      wallTime: '2026-01-01T02:30:00.000Z',
      restarts: 2,
      state: 'running',
      lastError: 'boom',
    },
  },
});

describe('service health from the heartbeat', () => {
  it('a live service silent for more than two bars is stalled; a younger one runs', () => {
    const now = Date.parse('2026-01-01T03:00:00.000Z');
    const health = serviceHealth(beat('live', '2026-01-01T00:30:00.000Z'), now, true);
    expect(health.map((h) => [h.service, h.state])).toEqual([
      ['paper', 'stalled'],
      ['arena', 'running'],
    ]);
    expect(health[1]).toMatchObject({ restarts: 2, lastError: 'boom', ageSeconds: 1800 });
  });

  it('a replay never stalls by age, but a dead supervisor stalls every running service', () => {
    const now = Date.parse('2026-01-02T00:00:00.000Z');
    expect(serviceHealth(beat('replay', '2026-01-01T00:00:00.000Z'), now, true).map((h) => h.state)).toEqual([
      'running',
      'running',
    ]);
    expect(
      serviceHealth(beat('replay', '2026-01-01T00:00:00.000Z', 'failed'), now, false).map((h) => h.state),
    ).toEqual(['failed', 'stalled']);
  });
});

describe('HeartbeatRecorder: when the file is written', () => {
  it('at a commit at most once per HEARTBEAT_EVERY_MS; before a wait only when something changed', () => {
    const root = mkdtempSync(join(tmpdir(), 'ht-heartbeat-'));
    let now = 0;
    const beats = new HeartbeatRecorder(root, 'replay', HOUR, () => now);
    beats.set('paper', { lastBarTs: null });
    beats.write();
    const frames = () => readHeartbeat(root)?.frames ?? null;
    expect(frames()).toBe(0);
    beats.frameDone(HOUR);
    now += HEARTBEAT_EVERY_MS / 2;
    beats.writeDue();
    expect(frames()).toBe(0); // too soon
    now += HEARTBEAT_EVERY_MS / 2;
    beats.writeDue();
    expect(frames()).toBe(1);
    // nothing changed since: not written again (the file removed shows it)
    rmSync(join(root, HEARTBEAT_PATH));
    beats.writeChanged();
    expect(existsSync(join(root, HEARTBEAT_PATH))).toBe(false);
    beats.ran('paper', 2 * HOUR);
    beats.frameDone(2 * HOUR);
    beats.writeChanged(); // whatever the interval
    expect(readHeartbeat(root)).toMatchObject({ frames: 2, lastBarTs: 2 * HOUR });
    rmSync(root, { recursive: true, force: true });
  });
});
