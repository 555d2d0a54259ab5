// Files that are on disk before they appear under their final name: the file store's blobs, a fetched bundle.
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** A temporary name in `dir`: random, so that writers on several hosts sharing the folder never collide. */
export function temporaryName(dir: string): string {
  return join(dir, `.tmp-${randomBytes(6).toString('hex')}`);
}

/** Writes `bytes` to the new file `path` (EEXIST if it exists) and fsyncs it before closing. */
export function writeNewFileSynced(path: string, bytes: Uint8Array): void {
  const fd = openSync(path, 'wx');
  try {
    for (let off = 0; off < bytes.byteLength; ) off += writeSync(fd, bytes, off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Fsyncs a folder, so that the names written in it (and a rename of it) survive a crash of the machine. */
export function fsyncFolder(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
