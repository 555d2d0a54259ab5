// Append-only JSON-lines journals (trades, equity, deployment history): fsynced appends, validated reads,
// and marks (size and sha256) that a commit records so a journal changed outside hybrid-trader is named.
import { createHash, type Hash } from 'node:crypto';
import { existsSync, openSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { z } from 'zod';
import { StateError } from '../core/errors.js';
import { formatIssues } from '../core/schema-issues.js';
import { readOrEmpty, sizeOrZero } from './absent-file.js';
import { durabilityFsync, ensureDir, writeFileAtomicSafeSync } from './atomic-file.js';
import { durable } from './durable-io.js';
import type { JournalMark } from './journal-mark.js';

export { type JournalMark, JournalMarkSchema } from './journal-mark.js';

/**
 * The sha256 of a journal kept up to date as it grows, so a commit's mark costs the hashing of what it
 * appends, never a re-read of the journal. Immutable: `with` returns the hash after more bytes.
 */
export class RunningHash {
  private digest: string | null = null;
  /** The last `with`: its bytes (by identity) and the hash after them. */
  private next: { readonly data: Uint8Array; readonly hash: RunningHash } | null = null;

  private constructor(
    readonly bytes: number,
    private readonly hash: Hash,
  ) {}

  static of(content: Uint8Array): RunningHash {
    return new RunningHash(content.length, createHash('sha256').update(content));
  }

  with(data: Uint8Array): RunningHash {
    if (data.length === 0) return this;
    // a commit asks twice for the same append (its record, then the journal it wrote): hashed once
    if (this.next?.data !== data)
      this.next = { data, hash: new RunningHash(this.bytes + data.length, this.hash.copy().update(data)) };
    return this.next.hash;
  }

  get mark(): JournalMark {
    this.digest ??= this.hash.copy().digest('hex');
    return { bytes: this.bytes, sha256: this.digest };
  }
}

/** Running hashes of the journals this process wrote or read, by path (valid while the size matches). */
const running = new Map<string, RunningHash>();

/**
 * The running hash of the journal at `path` as it is on disk (a missing file is empty): the one kept for it
 * when its size still matches, else hashed from the file (once).
 */
export function journalHash(path: string): RunningHash {
  const known = running.get(path);
  if (known !== undefined && known.bytes === sizeOrZero(path)) return known;
  const fresh = RunningHash.of(readOrEmpty(path));
  running.set(path, fresh);
  return fresh;
}

/** The running hash this process keeps for `path`, unchecked (undefined when it has none). */
export function knownJournal(path: string): RunningHash | undefined {
  return running.get(path);
}

/** Records that `path` now holds `hash`'s bytes (after an append, a truncation, or a read that checked it). */
export function noteJournal(path: string, hash: RunningHash): void {
  running.set(path, hash);
}

/** The mark of the journal at `path` as it is now. */
export function journalMark(path: string): JournalMark {
  return journalHash(path).mark;
}

/** Appends one JSON line per entry and fsyncs before returning (unless durability says otherwise). */
export function appendJournal(path: string, entries: readonly unknown[]): void {
  if (entries.length === 0) return;
  const before = journalHash(path);
  const data = Buffer.from(entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
  ensureDir(dirname(path));
  const fd = durable.open(path, 'a');
  try {
    durable.write(fd, data, path);
    if (durabilityFsync()) durable.fsync(fd, path);
  } finally {
    durable.close(fd);
  }
  noteJournal(path, before.with(data));
}

/** How a journal differs from the mark of the last commit. */
export interface JournalCheck {
  /** What differs within the committed bytes (deleted, emptied, cut, edited), or null when they are intact. */
  readonly problem: string | null;
  /** Bytes after the committed ones (a crash of a service writing at once leaves such), or null. */
  readonly extra: Buffer | null;
}

/**
 * Compares the journal at `path` with `expected` (the mark its state file recorded at the last commit).
 * Reads the file once. Intact committed bytes with more after them are reported as `extra`, for the
 * caller to judge (leftovers of a crash, or lines written by something else).
 */
export function checkJournal(
  path: string,
  expected: JournalMark,
  /** The journal's bytes when the caller has them (null: it does not exist); read from `path` otherwise. */
  given?: Buffer | null,
): JournalCheck {
  const exists = given === undefined ? existsSync(path) : given !== null;
  const content = given === undefined ? readOrEmpty(path) : (given ?? Buffer.alloc(0));
  const found = `${content.length} bytes`;
  const recorded = `the last commit recorded ${expected.bytes} bytes (sha256 ${expected.sha256.slice(0, 12)}...)`;
  if (content.length < expected.bytes) {
    const what = !exists ? 'is missing (deleted)' : content.length === 0 ? 'is empty' : `holds ${found}`;
    return {
      problem: `${path} ${what}, ${recorded}: lines of committed frames are lost (deleted, emptied, cut or torn)`,
      extra: null,
    };
  }
  const committed = RunningHash.of(content.subarray(0, expected.bytes));
  if (committed.mark.sha256 !== expected.sha256)
    return {
      problem: `${path}: its first ${expected.bytes} bytes differ from what ${recorded.slice(4)} (sha256 ${committed.mark.sha256.slice(0, 12)}...): the journal was edited`,
      extra: null,
    };
  const extra = content.length > expected.bytes ? content.subarray(expected.bytes) : null;
  if (given === undefined) noteJournal(path, extra === null ? committed : committed.with(extra));
  return { problem: null, extra };
}

/**
 * Throws StateError JOURNAL_MISMATCH unless the journal's committed bytes are intact; returns what follows
 * them (null when nothing does). `hint` says what to do (restore it, or how to accept it as it is).
 */
export function requireJournal(path: string, expected: JournalMark, hint: string): Buffer | null {
  const check = checkJournal(path, expected);
  if (check.problem !== null)
    throw new StateError('JOURNAL_MISMATCH', `${check.problem}; ${hint}`, {
      path,
      expected,
    });
  return check.extra;
}

/** Cuts the journal back to its first `bytes` (dropping a crash's leftovers after the committed part). */
export function truncateJournal(path: string, bytes: number): void {
  if (sizeOrZero(path) === bytes) return;
  const fd = openSync(path, 'r+');
  try {
    durable.truncate(fd, bytes, path);
    if (durabilityFsync()) durable.fsync(fd, path);
  } finally {
    durable.close(fd);
  }
  running.delete(path);
}

export interface JournalRead<T> {
  readonly entries: T[];
  /** A last line without its newline (a crash mid-append): not an entry, reported, never silently used. */
  readonly tornTail: string | null;
}

/** Parses one journal line (`n` = its 1-based number, for messages); StateError naming file, line and field. */
export function parseJournalLine<S extends z.ZodType>(
  path: string,
  line: string,
  n: number,
  schema: S,
): z.infer<S> {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch (error) {
    throw new StateError(
      'JOURNAL_CORRUPT',
      `${path} line ${n}: not valid JSON (${(error as Error).message})`,
      {
        path,
        line: n,
      },
    );
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success)
    throw new StateError('JOURNAL_INVALID', `${path} line ${n}: ${formatIssues(parsed.error, raw)}`, {
      path,
      line: n,
    });
  return parsed.data as z.infer<S>;
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
  const entries = lines.map((line, k) => parseJournalLine(path, line, k + 1, schema));
  return { entries, tornTail: tail === '' ? null : tail };
}

/**
 * Rewrites a journal keeping only the entries `keep` accepts (and dropping a torn tail), atomically. Used at
 * start-up of a workspace written before journals were marked, to drop entries written for a bar whose
 * state was not saved before a crash, so that the bar can be applied again exactly once.
 */
export function rewriteJournal<S extends z.ZodType>(
  path: string,
  schema: S,
  keep: (entry: z.infer<S>) => boolean,
): number {
  const { entries, tornTail } = readJournal(path, schema);
  const kept = entries.filter(keep);
  const dropped = entries.length - kept.length + (tornTail === null ? 0 : 1);
  if (dropped > 0) {
    writeFileAtomicSafeSync(path, kept.map((e) => `${JSON.stringify(e)}\n`).join(''));
    running.delete(path);
  }
  return dropped;
}

/**
 * Drops the lines after a journal's committed bytes when every one of them is a leftover of a crash
 * (`isLeftover` accepts the parsed line; a torn last line always is one), and returns how many were
 * dropped. A complete line that is not a leftover was written by something else: StateError
 * JOURNAL_MISMATCH naming it, and nothing is changed.
 */
export function dropLeftovers<S extends z.ZodType>(
  path: string,
  committedBytes: number,
  extra: Buffer,
  schema: S,
  isLeftover: (entry: z.infer<S>) => boolean,
  hint: string,
): number {
  const lines = extra.toString('utf8').split('\n');
  const torn = lines.pop() !== '';
  lines.forEach((line, k) => {
    const entry = parseJournalLine(path, line, k + 1, schema);
    if (!isLeftover(entry))
      throw new StateError(
        'JOURNAL_MISMATCH',
        `${path}: line ${k + 1} after the ${committedBytes} bytes of the last commit is not a leftover of an interrupted frame (it is for a frame already committed): it was written by something else; ${hint}`,
        { path },
      );
  });
  truncateJournal(path, committedBytes);
  return lines.length + (torn ? 1 : 0);
}
