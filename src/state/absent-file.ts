// Reads of journals and logs where a file that does not exist yet simply has nothing in it.
import { readFileSync, statSync } from 'node:fs';

/** The size of `path` in bytes; 0 when it does not exist. Other errors (EACCES, EISDIR) throw. */
export function sizeOrZero(path: string): number {
  try {
    return statSync(path).size;
  } catch (error) {
    if (isMissing(error)) return 0;
    throw error;
  }
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
