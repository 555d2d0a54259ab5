// Atomic file writes (temporary file, fsync, rename): a crash leaves the old or the new file, never half.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import writeFileAtomic from 'write-file-atomic';

/** Writes `contents` to `path` atomically, creating parent folders. */
export async function writeFileAtomicSafe(path: string, contents: string | Buffer): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  await writeFileAtomic(path, contents, { fsync: true });
}

/** Synchronous twin for code paths that must finish before the next step (per-bar state). */
export function writeFileAtomicSafeSync(path: string, contents: string | Buffer): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileAtomic.sync(path, contents, { fsync: true });
}
