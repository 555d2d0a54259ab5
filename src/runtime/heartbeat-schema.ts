// run/heartbeat.json: its schema, per service (pure; read and written in heartbeat.ts).
import { z } from 'zod';

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

/** One supervised service's health as `status` and the API report it (serviceHealth in heartbeat.ts). */
export const ServiceHealthSchema = z.strictObject({
  service: ServiceNameSchema,
  /** The service's own state, or `stalled`: running but silent for more than two bars of a live feed. */
  state: z.enum([...ServiceBeatSchema.shape.state.options, 'stalled']),
  /** Seconds since its last sign of life (never negative). */
  ageSeconds: z.number(),
  restarts: z.number().int().min(0),
  lastBarTs: z.number().nullable(),
  lastError: z.string().nullable(),
});
export type ServiceHealth = z.infer<typeof ServiceHealthSchema>;
