// The redo record of a state transaction: every file content and journal append of one commit, in one file.
import {
  closeSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { z } from 'zod';
import { StateError } from '../core/errors.js';
import { formatIssues } from '../core/schema-issues.js';
import { durabilityFsync, writeFileAtomicSafeSync } from './atomic-file.js';

/**
 * One change of a commit. Paths are relative to the workspace root (absolute for files outside it).
 * An append carries the journal's size before it: re-applying truncates back to that size first, so a
 * record applied twice (a crash during its application) never duplicates a line.
 */
export type RedoOp =
  | { readonly op: 'append'; readonly path: string; readonly offset: number; readonly data: Buffer }
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
        bytes: z.number().int().min(0),
      }),
      z.strictObject({ op: z.literal('write'), path: z.string().min(1), bytes: z.number().int().min(0) }),
      z.strictObject({ op: z.literal('remove'), path: z.string().min(1) }),
    ]),
  ),
});

/** The record's bytes: one JSON header line (ops without their data), then every op's data in order. */
export function encodeRedo(ops: readonly RedoOp[]): Buffer {
  const header = {
    format: MAGIC,
    schemaVersion: 1,
    ops: ops.map((o) =>
      o.op === 'append'
        ? { op: o.op, path: o.path, offset: o.offset, bytes: o.data.length }
        : o.op === 'write'
          ? { op: o.op, path: o.path, bytes: o.data.length }
          : { op: o.op, path: o.path },
    ),
  };
  const parts: Buffer[] = [Buffer.from(`${JSON.stringify(header)}\n`)];
  for (const o of ops) if (o.op !== 'remove') parts.push(o.data);
  return Buffer.concat(parts);
}

/**
 * Decodes a record read from `source` (for messages). Throws StateError STATE_REDO_CORRUPT naming the file
 * for a header that is not valid, or data whose length differs from the header's (a torn record).
 */
export function decodeRedo(bytes: Buffer, source: string): RedoOp[] {
  const corrupt = (why: string) =>
    new StateError(
      'STATE_REDO_CORRUPT',
      `${source}: ${why}; this commit cannot be completed: restore the workspace from a backup, or delete the file to resume from the previous commit`,
      { path: source },
    );
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
  const ops = parsed.data.ops.map((o): RedoOp => {
    if (o.op === 'remove') return o;
    const data = bytes.subarray(at, at + o.bytes);
    at += o.bytes;
    return o.op === 'append'
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
 * Applies a record's ops in order; idempotent, so a record whose application was interrupted is simply
 * applied again. Writes are atomic (readers never see half a file); appends first truncate the journal
 * to the size recorded before them. Throws StateError STATE_REDO_JOURNAL_SHORT for a journal shorter
 * than that size (changed by something else since the commit: applying would lose or misplace lines).
 */
export function applyRedo(root: string, ops: readonly RedoOp[]): void {
  for (const o of ops) {
    const path = isAbsolute(o.path) ? o.path : join(root, o.path);
    if (o.op === 'write') writeFileAtomicSafeSync(path, o.data);
    else if (o.op === 'remove') rmSync(path, { force: true });
    else appendAt(path, o.offset, o.data);
  }
}

function appendAt(path: string, offset: number, data: Buffer): void {
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, 'a');
  try {
    const size = fstatSync(fd).size;
    if (size < offset)
      throw new StateError(
        'STATE_REDO_JOURNAL_SHORT',
        `${path}: ${size} bytes, but the commit being completed appends after byte ${offset}: the journal was changed outside hybrid-trader`,
        { path, size, offset },
      );
    if (size > offset) ftruncateSync(fd, offset); // a previous, interrupted application of this record
    writeSync(fd, data);
    if (durabilityFsync()) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
