// The workspace's lock and pid file in run/: one frame loop (start, replay, a service alone) per workspace.
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../core/errors.js';

export const LOCK_FILE = 'run/supervisor.lock';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid holding the workspace's lock, or null when none (or the holder is gone). */
export function lockHolder(root: string): number | null {
  const path = join(root, LOCK_FILE);
  if (!existsSync(path)) return null;
  const pid = Number(readFileSync(path, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 && alive(pid) ? pid : null;
}

function lockedError(root: string, holder: number): ConfigError {
  return new ConfigError(
    'WORKSPACE_LOCKED',
    `${root} is already run by process ${holder}; stop it first (its lock: ${join(root, LOCK_FILE)})`,
    { pid: holder },
  );
}

/** Throws WORKSPACE_LOCKED when another live process holds the workspace's lock (a check before work starts). */
export function refuseIfLocked(root: string): void {
  const holder = lockHolder(root);
  if (holder !== null) throw lockedError(root, holder);
}

/**
 * Takes the workspace's lock (run/supervisor.lock holding our pid, created exclusively). A lock whose
 * process is gone (a crash) is taken over; a live one is refused with a ConfigError naming its pid.
 * Returns the release function.
 */
export function acquireLock(root: string): () => void {
  const path = join(root, LOCK_FILE);
  mkdirSync(join(root, 'run'), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = lockHolder(root);
      if (holder !== null) throw lockedError(root, holder);
      rmSync(path, { force: true }); // stale: its process died
    }
  }
  throw new ConfigError('WORKSPACE_LOCKED', `could not take ${path}`);
}
