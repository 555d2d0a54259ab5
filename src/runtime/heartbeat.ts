// run/heartbeat.json: the supervisor's liveness, per service. Written by the supervisor after every frame
// (live) or every few frames (replay); read by `status`, the API and the metrics endpoint.
import { join } from 'node:path';
import { z } from 'zod';
import { readJsonFile, writeJsonFile } from '../state/index.js';

export const HEARTBEAT_PATH = 'run/heartbeat.json';

export const ServiceNameSchema = z.enum(['feed', 'paper', 'arena', 'deployer', 'trainer', 'server']);
export type ServiceName = z.infer<typeof ServiceNameSchema>;

export const ServiceBeatSchema = z.strictObject({
  /** Last frame the service applied (bar open time, epoch ms), null before its first. */
  lastBarTs: z.number().nullable(),
  /** Wall time of its last sign of life. */
  wallTime: z.string(),
  /** Restarts after a crash of the service in this run of the supervisor. */
  restarts: z.number().int().min(0),
  state: z.enum(['running', 'restarting', 'failed', 'idle']),
  /** The last error, when it crashed. */
  lastError: z.string().nullable(),
});
export type ServiceBeat = z.infer<typeof ServiceBeatSchema>;

export const HeartbeatSchema = z.strictObject({
  schemaVersion: z.literal(1),
  pid: z.number().int(),
  /** live: bars arrive in real time, so a service silent for two bars is stalled; replay: never stalled. */
  feed: z.enum(['live', 'replay']),
  timeframeMs: z.number().positive(),
  /** Frames applied in this run. */
  frames: z.number().int().min(0),
  lastBarTs: z.number().nullable(),
  wallTime: z.string(),
  services: z.partialRecord(ServiceNameSchema, ServiceBeatSchema),
});
export type Heartbeat = z.infer<typeof HeartbeatSchema>;

export function writeHeartbeat(root: string, beat: Heartbeat): void {
  writeJsonFile(join(root, HEARTBEAT_PATH), HeartbeatSchema, beat);
}

/** The heartbeat, or null when none was written; throws StateError naming the file when it is invalid. */
export function readHeartbeat(root: string): Heartbeat | null {
  return readJsonFile(join(root, HEARTBEAT_PATH), HeartbeatSchema);
}

export interface ServiceHealth {
  readonly service: ServiceName;
  readonly state: ServiceBeat['state'] | 'stalled';
  readonly ageSeconds: number;
  readonly restarts: number;
  readonly lastBarTs: number | null;
  readonly lastError: string | null;
}

/**
 * Each service's health at `nowMs`: on a live feed, a running service silent for more than two bars is
 * stalled (DESIGN: heartbeat older than two bars). `supervisorAlive` false makes every running service
 * stalled too: its process is gone.
 */
export function serviceHealth(beat: Heartbeat, nowMs: number, supervisorAlive: boolean): ServiceHealth[] {
  return Object.entries(beat.services).map(([name, s]) => {
    const ageSeconds = (nowMs - Date.parse(s.wallTime)) / 1000;
    const silent = beat.feed === 'live' && ageSeconds * 1000 > 2 * beat.timeframeMs;
    const stalled = s.state === 'running' && (silent || !supervisorAlive);
    return {
      service: name as ServiceName,
      state: stalled ? 'stalled' : s.state,
      ageSeconds,
      restarts: s.restarts,
      lastBarTs: s.lastBarTs,
      lastError: s.lastError,
    };
  });
}
