// Atomic file writes (temporary file, optional fsync, rename): a crash leaves the old or the new file, never half.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { durable } from './durable-io.js';

/**
 * Whether writes are fsynced. Rename alone already makes a write atomic against a killed process (kill -9);
 * fsync adds durability against an OS crash or power loss, at a cost of milliseconds per file. Live services
 * keep it on (the default); a replay, which can always be run again, turns it off for speed.
 */
let fsyncWrites = true;

export function configureDurability(options: { fsync: boolean }): void {
  fsyncWrites = options.fsync;
}

export function durabilityFsync(): boolean {
  return fsyncWrites;
}

const madeDirs = new Set<string>();
let counter = 0;

/** Makes `dir` (and its parents) once per process; a folder removed since is made again by openTmp. */
export function ensureDir(dir: string): void {
  if (madeDirs.has(dir)) return;
  if (!existsSync(dir)) durable.mkdir(dir);
  madeDirs.add(dir);
}

function tmpPath(path: string): string {
  counter = (counter + 1) % 1_000_000;
  return join(dirname(path), `.${basename(path)}.${process.pid}.${counter}.tmp`);
}

/** Opens the temporary file; a folder removed since it was first made is made again. */
function openTmp(tmp: string): number {
  try {
    return durable.open(tmp, 'w');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    durable.mkdir(dirname(tmp));
    return durable.open(tmp, 'w');
  }
}

/** Removes what a failed write left; never throws (the error being reported matters more). */
function discard(tmp: string): void {
  try {
    rmSync(tmp, { force: true });
  } catch {
    // swept at the next start (sweepTempFiles)
  }
}

/**
 * Writes `contents` to `path` atomically, creating parent folders. An iterable of strings is written
 * piece by piece (a file larger than one string can hold, e.g. millions of CSV rows). A full or read-only
 * disk is a named StateError (DISK_FULL, WORKSPACE_NOT_WRITABLE) and leaves the old file as it was.
 */
export function writeFileAtomicSafeSync(path: string, contents: string | Buffer | Iterable<string>): void {
  ensureDir(dirname(path));
  const tmp = tmpPath(path);
  try {
    const fd = openTmp(tmp);
    try {
      if (typeof contents === 'string' || Buffer.isBuffer(contents))
        durable.write(fd, typeof contents === 'string' ? Buffer.from(contents) : contents, tmp);
      else for (const piece of contents) durable.write(fd, Buffer.from(piece), tmp);
      if (fsyncWrites) durable.fsync(fd, tmp);
    } finally {
      durable.close(fd);
    }
    durable.rename(tmp, path);
  } catch (error) {
    discard(tmp);
    throw error;
  }
}

/** The same write, for callers that await (same guarantees). */
export async function writeFileAtomicSafe(path: string, contents: string | Buffer): Promise<void> {
  writeFileAtomicSafeSync(path, contents);
}

/**
 * Removes temporary files a killed process left in `dir` (`.<name>.<pid>.<n>.tmp`); with `only`, just those
 * of that file (a folder other writers share). Call it when the one writer of the files starts, before it
 * writes: the files themselves are untouched (a rename never happened for these).
 */
export function sweepTempFiles(dir: string, only?: string): number {
  if (!existsSync(dir)) return 0;
  const prefix = only === undefined ? null : `.${basename(only)}.`;
  let removed = 0;
  // sorted: the order of operations (crash points) must not depend on the file system's listing order
  for (const name of readdirSync(dir).sort()) {
    if (prefix !== null && !name.startsWith(prefix)) continue;
    if (/^\..+\.\d+\.\d+\.tmp$/.test(name)) {
      durable.remove(join(dir, name));
      removed++;
    }
  }
  return removed;
}
