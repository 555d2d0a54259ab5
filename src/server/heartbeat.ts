// The supervisor's liveness as the API reports it: its pid (from the lock) and the age of its heartbeat.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { HEARTBEAT_PATH } from '../runtime/heartbeat.js';
import { lockHolder } from '../runtime/run-lock.js';

/** Seconds since run/heartbeat.json was written (as `status` computes it), or null when there is none. */
export function heartbeatAgeSeconds(root: string, nowMs: number): number | null {
  const path = join(root, HEARTBEAT_PATH);
  return existsSync(path) ? Math.max(0, (nowMs - statSync(path).mtimeMs) / 1000) : null;
}

/** The pid of the supervisor holding the workspace's lock, or null when none runs. */
export function supervisorPid(root: string): number | null {
  return lockHolder(root);
}
