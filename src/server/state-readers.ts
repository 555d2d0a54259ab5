// Reads state files for one request, turning a file that fails validation into a reported problem.
import type { z } from 'zod';
import { HybridTraderError } from '../core/errors.js';
import { readJournal, readJsonFile } from '../state/index.js';
import type { Problem } from './api-schemas.js';

function problemOf(file: string, error: unknown): Problem {
  if (error instanceof HybridTraderError) return { file, error: error.message };
  // An I/O failure (permissions, a folder where a file should be): say what, not how.
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return { file, error: `${file}: cannot be read${code ? ` (${code})` : ''}` };
}

/** The validated file, null when it does not exist, or null plus a problem when it cannot be used. */
export function readStateFile<S extends z.ZodType>(
  path: string,
  schema: S,
  problems: Problem[],
): z.infer<S> | null {
  try {
    return readJsonFile(path, schema);
  } catch (error) {
    problems.push(problemOf(path, error));
    return null;
  }
}

/**
 * Every complete line of a journal (read whole, not kept between requests), or none plus a problem when
 * a line fails validation. A torn last line is an append in progress or a crash the service repairs at
 * start: not an entry, not a problem.
 */
export function readJournalEntries<S extends z.ZodType>(
  path: string,
  schema: S,
  problems: Problem[],
): z.infer<S>[] {
  try {
    return readJournal(path, schema).entries;
  } catch (error) {
    problems.push(problemOf(path, error));
    return [];
  }
}

/** Runs `read`, reporting a failure as a problem of `file` and answering `fallback`. */
export function tryReading<T>(file: string, problems: Problem[], fallback: T, read: () => T): T {
  try {
    return read();
  } catch (error) {
    problems.push(problemOf(file, error));
    return fallback;
  }
}

/** {@link tryReading} for a read that waits (the study storage). */
export async function tryReadingAsync<T>(
  file: string,
  problems: Problem[],
  fallback: T,
  read: () => Promise<T>,
): Promise<T> {
  try {
    return await read();
  } catch (error) {
    problems.push(problemOf(file, error));
    return fallback;
  }
}
