// The redo record of a state transaction: every file content and journal append of one commit, in one file.
import { fstatSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize, sep } from 'node:path';
import { z } from 'zod';
import { StateError } from '../core/errors.js';
import { formatIssues } from '../core/schema-issues.js';
import { readOrEmpty } from './absent-file.js';
import { durabilityFsync, ensureDir, writeFileAtomicSafeSync } from './atomic-file.js';
import { durable } from './durable-io.js';
import { journalHash, knownJournal, noteJournal, RunningHash } from './journal.js';

/**
 * One change of a commit. Paths are relative to the workspace root, inside it. An append carries the
 * journal's size before it and the sha256 of those bytes (the state it follows): re-applying truncates
 * back to that size first, so a record applied twice (a crash during its application) never duplicates
 * a line, and a record that does not follow the journal as it is (stale, or from elsewhere) is refused.
 * A `log` append is the same for a log file, which may have been rotated away meanwhile: it is then
 * appended at the end instead.
 */
export type RedoOp =
  | {
      readonly op: 'append';
      readonly path: string;
      readonly offset: number;
      /** sha256 of the journal's first `offset` bytes (absent in records of older versions). */
      readonly sha256Before?: string;
      readonly data: Buffer;
    }
  | { readonly op: 'log'; readonly path: string; readonly offset: number; readonly data: Buffer }
  | { readonly op: 'write'; readonly path: string; readonly data: Buffer }
  | { readonly op: 'remove'; readonly path: string };

const MAGIC = 'hybrid-trader-redo';

const HeaderSchema = z.strictObject({
  format: z.literal(MAGIC),
  schemaVersion: z.literal(1),
  ops: z.array(
    z.discriminatedUnion('op', [
      z.strictObject({
        op: z.literal('append'),
        path: z.string().min(1),
        offset: z.number().int().min(0),
        sha256Before: z
          .string()
          .regex(/^[0-9a-f]{64}$/)
          .optional(),
        bytes: z.number().int().min(0),
      }),
      z.strictObject({
        op: z.literal('log'),
        path: z.string().min(1),
        offset: z.number().int().min(0),
        bytes: z.number().int().min(0),
      }),
      z.strictObject({ op: z.literal('write'), path: z.string().min(1), bytes: z.number().int().min(0) }),
      z.strictObject({ op: z.literal('remove'), path: z.string().min(1) }),
    ]),
  ),
});

/** Whether `path` is a relative path that stays inside the folder it is relative to. */
export function isInsideRelative(path: string): boolean {
  if (path === '' || isAbsolute(path) || path.includes('\0')) return false;
  const n = normalize(path);
  return n !== '..' && !n.startsWith(`..${sep}`) && !isAbsolute(n) && n === path;
}

/** The record's bytes: one JSON header line (ops without their data), then every op's data in order. */
export function encodeRedo(ops: readonly RedoOp[]): Buffer {
  const header = {
    format: MAGIC,
    schemaVersion: 1,
    ops: ops.map((o) => {
      if (o.op === 'append')
        return o.sha256Before === undefined
          ? { op: o.op, path: o.path, offset: o.offset, bytes: o.data.length }
          : { op: o.op, path: o.path, offset: o.offset, sha256Before: o.sha256Before, bytes: o.data.length };
      if (o.op === 'log') return { op: o.op, path: o.path, offset: o.offset, bytes: o.data.length };
      if (o.op === 'write') return { op: o.op, path: o.path, bytes: o.data.length };
      return { op: o.op, path: o.path };
    }),
  };
  const parts: Buffer[] = [Buffer.from(`${JSON.stringify(header)}\n`)];
  for (const o of ops) if (o.op !== 'remove') parts.push(o.data);
  return Buffer.concat(parts);
}

const RESOLVE_HINT =
  'this commit cannot be completed: restore the workspace from a backup, or delete the file to resume from the previous commit';

/**
 * Decodes a record read from `source` (for messages). Throws StateError STATE_REDO_CORRUPT naming the file
 * for a header that is not valid, a path that is absolute or leaves the workspace, or data whose length
 * differs from the header's (a torn record).
 */
export function decodeRedo(bytes: Buffer, source: string): RedoOp[] {
  const corrupt = (why: string) =>
    new StateError('STATE_REDO_CORRUPT', `${source}: ${why}; ${RESOLVE_HINT}`, { path: source });
  const end = bytes.indexOf(0x0a);
  if (end < 0) throw corrupt('no header line');
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.subarray(0, end).toString('utf8'));
  } catch (error) {
    throw corrupt(`header is not valid JSON (${(error as Error).message})`);
  }
  const parsed = HeaderSchema.safeParse(raw);
  if (!parsed.success) throw corrupt(`header ${formatIssues(parsed.error, raw)}`);
  let at = end + 1;
  const ops = parsed.data.ops.map((o, k): RedoOp => {
    if (!isInsideRelative(o.path))
      throw corrupt(`op ${k + 1} names "${o.path}", which is not a path inside the workspace`);
    if (o.op === 'remove') return o;
    const data = bytes.subarray(at, at + o.bytes);
    at += o.bytes;
    if (o.op === 'append')
      return o.sha256Before === undefined
        ? { op: o.op, path: o.path, offset: o.offset, data }
        : { op: o.op, path: o.path, offset: o.offset, sha256Before: o.sha256Before, data };
    return o.op === 'log'
      ? { op: o.op, path: o.path, offset: o.offset, data }
      : { op: o.op, path: o.path, data };
  });
  if (at !== bytes.length)
    throw corrupt(`holds ${bytes.length - end - 1} bytes of data, the header lists ${at - end - 1}`);
  return ops;
}

/** Reads and decodes the record at `path` (see decodeRedo). */
export function readRedo(path: string): RedoOp[] {
  return decodeRedo(readFileSync(path), path);
}

/** Writes the record atomically (temporary file, fsync per the durability setting, rename). */
export function writeRedo(path: string, ops: readonly RedoOp[]): void {
  writeFileAtomicSafeSync(path, encodeRedo(ops));
}

/**
 * Why the record does not follow the workspace as it is, or null when it does. Each journal append must
 * find the journal at its recorded size with the recorded sha256 of those bytes, or already (partly)
 * applied: the bytes after that size are a prefix of the append's data. Anything else means the record
 * is stale (the journal went on after it) or belongs to other files. Read-only; `source` is the record.
 */
export function redoMismatch(root: string, ops: readonly RedoOp[], source: string): StateError | null {
  for (const o of ops) {
    if (o.op !== 'append') continue;
    const path = join(root, o.path);
    const content = readOrEmpty(path);
    if (content.length < o.offset)
      return new StateError(
        'STATE_REDO_JOURNAL_SHORT',
        `${path}: ${content.length} bytes, but the commit being completed (${source}) appends after byte ${o.offset}: the journal was changed outside hybrid-trader; ${RESOLVE_HINT}`,
        { path, size: content.length, offset: o.offset },
      );
    const before = content.subarray(0, o.offset);
    const after = content.subarray(o.offset);
    const follows = o.sha256Before === undefined || RunningHash.of(before).mark.sha256 === o.sha256Before;
    const applied = after.length <= o.data.length && after.equals(o.data.subarray(0, after.length));
    if (!follows || !applied)
      return new StateError(
        'STATE_REDO_STALE',
        `${source}: its append to ${o.path} ${follows ? `does not match the ${after.length} bytes after byte ${o.offset}` : `follows other content than the first ${o.offset} bytes of the journal`}: the record is stale (the journal went on after it) or comes from another workspace; ${RESOLVE_HINT}`,
        { path: source, journal: path },
      );
  }
  return null;
}

/**
 * Applies a record's ops in order, after checking that it follows the workspace (redoMismatch: throws
 * STATE_REDO_JOURNAL_SHORT / STATE_REDO_STALE and changes nothing otherwise; `verified`: the caller just
 * wrote the record from the files as they are, no check needed); idempotent, so a record
 * whose application was interrupted is simply applied again. Writes are atomic (readers never see half a
 * file); appends first truncate the journal to the size recorded before them.
 */
export function applyRedo(
  root: string,
  ops: readonly RedoOp[],
  options: { source: string; verified?: boolean },
): void {
  if (options.verified !== true) {
    const mismatch = redoMismatch(root, ops, options.source);
    if (mismatch !== null) throw mismatch;
  }
  for (const o of ops) {
    const path = join(root, o.path);
    if (o.op === 'write') writeFileAtomicSafeSync(path, o.data);
    else if (o.op === 'remove') durable.remove(path);
    else if (o.op === 'log') appendAt(path, o.offset, o.data, null);
    else appendAt(path, o.offset, o.data, verifiedHash(path, o.offset, options.verified === true));
  }
}

/**
 * The running hash of a journal before an append at `offset`: the one this process keeps when the record
 * was just made from it (`verified`: it checked the journal's size a moment ago), else read and checked.
 */
function verifiedHash(path: string, offset: number, verified: boolean): RunningHash {
  const known = verified ? knownJournal(path) : undefined;
  return known !== undefined && known.bytes === offset ? known : journalHash(path);
}

/** Appends `data` at `offset` (truncating what an interrupted application left); `before`: a journal's hash. */
function appendAt(path: string, offset: number, data: Buffer, before: RunningHash | null): void {
  ensureDir(dirname(path));
  const fd = durable.open(path, 'a');
  try {
    const size = fstatSync(fd).size;
    // A log rotated away since the commit (shorter than recorded): the lines go at its end.
    if (size > offset) durable.truncate(fd, offset, path); // a previous, interrupted application
    if (data.length > 0) durable.write(fd, data, path);
    if (durabilityFsync()) durable.fsync(fd, path);
  } finally {
    durable.close(fd);
  }
  if (before !== null) noteJournal(path, before.bytes === offset ? before.with(data) : journalHash(path));
}
