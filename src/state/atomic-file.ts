// Atomic file writes (temporary file, optional fsync, rename): a crash leaves the old or the new file, never half.
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

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

function ensureDir(dir: string): void {
  if (madeDirs.has(dir)) return;
  mkdirSync(dir, { recursive: true });
  madeDirs.add(dir);
}

function tmpPath(path: string): string {
  counter = (counter + 1) % 1_000_000;
  return join(dirname(path), `.${basename(path)}.${process.pid}.${counter}.tmp`);
}

/** Opens the temporary file; a folder removed since it was first made is made again. */
function openTmp(tmp: string): number {
  try {
    return openSync(tmp, 'w');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    mkdirSync(dirname(tmp), { recursive: true });
    return openSync(tmp, 'w');
  }
}

/** Writes `contents` to `path` atomically, creating parent folders. */
export function writeFileAtomicSafeSync(path: string, contents: string | Buffer): void {
  ensureDir(dirname(path));
  const tmp = tmpPath(path);
  try {
    const fd = openTmp(tmp);
    try {
      writeSync(fd, typeof contents === 'string' ? Buffer.from(contents) : contents);
      if (fsyncWrites) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}

/** Asynchronous twin (same guarantees). */
export async function writeFileAtomicSafe(path: string, contents: string | Buffer): Promise<void> {
  ensureDir(dirname(path));
  const tmp = tmpPath(path);
  try {
    await writeFile(tmp, contents, { flush: fsyncWrites });
    renameSync(tmp, path);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
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
  for (const name of readdirSync(dir)) {
    if (prefix !== null && !name.startsWith(prefix)) continue;
    if (/^\..+\.\d+\.\d+\.tmp$/.test(name)) {
      rmSync(join(dir, name), { force: true });
      removed++;
    }
  }
  return removed;
}
