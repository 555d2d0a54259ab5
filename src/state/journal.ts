// Append-only JSON-lines journals (trades, deployment history): fsynced appends, validated reads.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { z } from 'zod';
import { StateError } from '../core/errors.js';
import { formatIssues } from '../core/schema-issues.js';
import { durabilityFsync, writeFileAtomicSafeSync } from './atomic-file.js';

/** Appends one JSON line per entry and fsyncs before returning (unless durability says otherwise). */
export function appendJournal(path: string, entries: readonly unknown[]): void {
  if (entries.length === 0) return;
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, 'a');
  try {
    writeSync(fd, entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
    if (durabilityFsync()) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export interface JournalRead<T> {
  readonly entries: T[];
  /** A last line without its newline (a crash mid-append): not an entry, reported, never silently used. */
  readonly tornTail: string | null;
}

/**
 * Reads a journal, validating every complete line with `schema`. A final line without a newline is a torn
 * append and is returned separately. Throws StateError naming the file, line and field for a bad line.
 */
export function readJournal<S extends z.ZodType>(path: string, schema: S): JournalRead<z.infer<S>> {
  if (!existsSync(path)) return { entries: [], tornTail: null };
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n');
  const tail = lines.pop() ?? '';
  const entries = lines.map((line, k) => {
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (error) {
      throw new StateError(
        'JOURNAL_CORRUPT',
        `${path} line ${k + 1}: not valid JSON (${(error as Error).message})`,
        {
          path,
          line: k + 1,
        },
      );
    }
    const parsed = schema.safeParse(raw);
    if (!parsed.success)
      throw new StateError('JOURNAL_INVALID', `${path} line ${k + 1}: ${formatIssues(parsed.error, raw)}`, {
        path,
        line: k + 1,
      });
    return parsed.data as z.infer<S>;
  });
  return { entries, tornTail: tail === '' ? null : tail };
}

/**
 * Rewrites a journal keeping only the entries `keep` accepts (and dropping a torn tail), atomically. Used at
 * start-up to drop entries written for a bar whose state was not saved before a crash, so that the bar can
 * be applied again exactly once.
 */
export function rewriteJournal<S extends z.ZodType>(
  path: string,
  schema: S,
  keep: (entry: z.infer<S>) => boolean,
): number {
  const { entries, tornTail } = readJournal(path, schema);
  const kept = entries.filter(keep);
  const dropped = entries.length - kept.length + (tornTail === null ? 0 : 1);
  if (dropped > 0) writeFileAtomicSafeSync(path, kept.map((e) => `${JSON.stringify(e)}\n`).join(''));
  return dropped;
}
