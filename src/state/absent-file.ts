// Reads of journals and logs where a file that does not exist yet simply has nothing in it.
import { readFileSync, statSync } from 'node:fs';

/**
 * The size of `path` in bytes; 0 when it does not exist. Other errors (EACCES) throw. Asked at every commit
 * for each journal and log, often of a file not made yet (a new day's log): no exception for that case.
 */
export function sizeOrZero(path: string): number {
  return statSync(path, { throwIfNoEntry: false })?.size ?? 0;
}

/** The bytes of `path`; empty when it does not exist. Other errors (EACCES, EISDIR) throw. */
export function readOrEmpty(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    if (isMissing(error)) return Buffer.alloc(0);
    throw error;
  }
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}
