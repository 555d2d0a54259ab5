// Reads of files that may not exist yet (journals, logs, state and configuration files): a missing file is
// nothing, one that exists but cannot be read is a named error (FILE_UNREADABLE).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { StateError } from '../core/errors.js';

/**
 * The size of `path` in bytes; 0 when it does not exist. Other errors (EACCES) throw. Asked at every commit
 * for each journal and log, often of a file not made yet (a new day's log): no exception for that case.
 */
export function sizeOrZero(path: string): number {
  return statSync(path, { throwIfNoEntry: false })?.size ?? 0;
}

/**
 * The StateError for a file that exists but cannot be read (a folder in its place, no permission): its own
 * code, so it is never mistaken for a missing file or one that is not valid JSON.
 */
export function fileUnreadable(path: string, error: unknown): StateError {
  return new StateError('FILE_UNREADABLE', `${path}: cannot be read (${(error as Error).message})`, {
    path,
    errno: (error as NodeJS.ErrnoException).code,
  });
}

/** The bytes of `path`; null when it does not exist; FILE_UNREADABLE (fileUnreadable) when it cannot be read. */
export function readFileIfExists(path: string): Buffer | null {
  if (!existsSync(path)) return null; // without an exception: some files are asked for at every frame
  try {
    return readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw fileUnreadable(path, error);
  }
}

/** The bytes of `path`; empty when it does not exist; FILE_UNREADABLE when it cannot be read. */
export function readOrEmpty(path: string): Buffer {
  return readFileIfExists(path) ?? Buffer.alloc(0);
}
