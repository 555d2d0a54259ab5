// run/heartbeat.json: the frame loop's liveness, per service. Written at a commit at most once a second of
// wall time, always before the loop waits for a bar and when a service changes state; read by `status`,
// the API and the metrics endpoint.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readJsonFile, writeJsonFile } from '../state/index.js';
import {
  type Heartbeat,
  HeartbeatSchema,
  type ServiceBeat,
  type ServiceHealth,
  type ServiceName,
} from './heartbeat-schema.js';

export {
  type Heartbeat,
  HeartbeatSchema,
  type ServiceBeat,
  ServiceBeatSchema,
  type ServiceHealth,
  ServiceHealthSchema,
  type ServiceName,
  ServiceNameSchema,
} from './heartbeat-schema.js';

export const HEARTBEAT_PATH = 'run/heartbeat.json';

/**
 * The least wall time between two heartbeats written at commits. A live feed's frames are a bar apart, so
 * it still writes one per frame; a replay or a live catch-up commits far more often, and a file written
 * (and replaced) hundreds of times a second told nothing more than one a second.
 */
export const HEARTBEAT_EVERY_MS = 1_000;

export function writeHeartbeat(root: string, beat: Heartbeat): void {
  writeJsonFile(join(root, HEARTBEAT_PATH), HeartbeatSchema, beat);
}

/** The heartbeat, or null when none was written; throws StateError naming the file when it is invalid. */
export function readHeartbeat(root: string): Heartbeat | null {
  return readJsonFile(join(root, HEARTBEAT_PATH), HeartbeatSchema);
}

/** Seconds from `thenMs` to `nowMs`, never negative (a clock set back must not show a negative age). */
function ageSeconds(thenMs: number, nowMs: number): number {
  return Math.max(0, (nowMs - thenMs) / 1000);
}

/** Seconds since run/heartbeat.json was last written (its mtime), or null when there is none. */
export function heartbeatAgeSeconds(root: string, nowMs: number): number | null {
  const path = join(root, HEARTBEAT_PATH);
  return existsSync(path) ? ageSeconds(statSync(path).mtimeMs, nowMs) : null;
}

/**
 * Each service's health at `nowMs`: on a live feed, a running service silent for more than two bars is
 * stalled (DESIGN: heartbeat older than two bars). `supervisorAlive` false makes every running service
 * stalled too: its process is gone.
 */
export function serviceHealth(beat: Heartbeat, nowMs: number, supervisorAlive: boolean): ServiceHealth[] {
  return Object.entries(beat.services).map(([name, s]) => {
    const age = ageSeconds(Date.parse(s.wallTime), nowMs);
    const silent = beat.feed === 'live' && age * 1000 > 2 * beat.timeframeMs;
    const stalled = s.state === 'running' && (silent || !supervisorAlive);
    return {
      service: name as ServiceName,
      state: stalled ? 'stalled' : s.state,
      ageSeconds: age,
      restarts: s.restarts,
      lastBarTs: s.lastBarTs,
      lastError: s.lastError,
    };
  });
}

/**
 * The heartbeat the frame loop keeps in memory and writes when asked. A frame only records each service's
 * last bar (no clock, no allocation: this runs on every frame); the wall time of the services that ran is
 * stamped when the heartbeat is written.
 */
export class HeartbeatRecorder {
  /** Mutable beats, copied into the file when it is written. */
  private readonly beats = new Map<ServiceName, { -readonly [K in keyof ServiceBeat]: ServiceBeat[K] }>();
  /** Services that showed a sign of life since the last write. */
  private readonly alive = new Set<ServiceName>();
  private frames = 0;
  private lastBarTs: number | null = null;
  private writtenAt = Number.NEGATIVE_INFINITY;
  /** Something changed since the file was last written. */
  private changed = true;

  constructor(
    private readonly root: string,
    private readonly feed: Heartbeat['feed'],
    private readonly timeframeMs: number,
    /** Monotonic milliseconds, for the interval between writes (a test sets it). */
    private readonly clock: () => number = () => performance.now(),
  ) {}

  /** Changes a service's beat (state, error, restarts) now. */
  set(name: ServiceName, change: Partial<Omit<ServiceBeat, 'wallTime'>>): void {
    const beat = this.beats.get(name) ?? {
      lastBarTs: null,
      wallTime: '',
      restarts: 0,
      state: 'running',
      lastError: null,
    };
    Object.assign(beat, change, { wallTime: new Date().toISOString() });
    this.beats.set(name, beat);
    this.alive.delete(name);
    this.changed = true;
  }

  /** A service ran on a frame: running, its last applied bar `lastBarTs`. */
  ran(name: ServiceName, lastBarTs: number | null): void {
    const beat = this.beats.get(name);
    if (beat === undefined || beat.state !== 'running') this.set(name, { state: 'running', lastBarTs });
    else beat.lastBarTs = lastBarTs;
    this.alive.add(name);
    this.changed = true;
  }

  /** The loop finished frame `ts` (the count of frames of this run and the last bar). */
  frameDone(ts: number): void {
    this.frames++;
    this.lastBarTs = ts;
    this.changed = true;
  }

  /** The restarts recorded for a service so far. */
  restarts(name: ServiceName): number {
    return this.beats.get(name)?.restarts ?? 0;
  }

  /** Marks every service idle (a clean stop: none may be left "running" once the process is gone). */
  allIdle(): void {
    for (const name of this.beats.keys()) this.set(name, { state: 'idle' });
  }

  /** Writes run/heartbeat.json unless it was written less than HEARTBEAT_EVERY_MS ago. */
  writeDue(): void {
    if (this.clock() - this.writtenAt >= HEARTBEAT_EVERY_MS) this.write();
  }

  /** Writes run/heartbeat.json if anything changed since it was last written. */
  writeChanged(): void {
    if (this.changed) this.write();
  }

  /** Writes run/heartbeat.json. */
  write(): void {
    this.writtenAt = this.clock();
    this.changed = false;
    const wallTime = new Date().toISOString();
    for (const name of this.alive) this.beats.get(name)!.wallTime = wallTime;
    this.alive.clear();
    const services: Heartbeat['services'] = {};
    for (const [name, beat] of this.beats) services[name] = { ...beat };
    writeHeartbeat(this.root, {
      schemaVersion: 1,
      pid: process.pid,
      feed: this.feed,
      timeframeMs: this.timeframeMs,
      frames: this.frames,
      lastBarTs: this.lastBarTs,
      wallTime,
      services,
    });
  }
}
