// ArtifactStore in a folder every host mounts (NFS, a synced volume): one file per blob, named by its sha256.
import { mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ModelError } from '../../core/errors.js';
import { sha256Hex } from '../../models/bundle/index.js';
import type { ArtifactStore } from './artifact-store.js';
import { temporaryName, writeNewFileSynced } from './synced-files.js';

/**
 * Blobs under `<dir>/sha256/<first 2 hex>/<sha256>`, each written to a temporary file, fsynced and
 * renamed into place: a reader never sees half a blob, and two writers of the same blob write the same
 * bytes.
 */
export class FileArtifactStore implements ArtifactStore {
  readonly kind = 'files' as const;
  readonly shown: string;

  constructor(private readonly dir: string) {
    this.shown = dir;
  }

  private path(sha256: string): string {
    return join(this.dir, 'sha256', sha256.slice(0, 2), sha256);
  }

  async put(bytes: Uint8Array): Promise<string> {
    const sha256 = sha256Hex(bytes);
    const target = this.path(sha256);
    try {
      if (statSync(target).size === bytes.byteLength) return sha256;
    } catch {
      // not there yet
    }
    const folder = join(target, '..');
    mkdirSync(folder, { recursive: true });
    const tmp = temporaryName(folder);
    try {
      writeNewFileSynced(tmp, bytes);
      renameSync(tmp, target);
    } catch (error) {
      rmSync(tmp, { force: true });
      throw error;
    }
    return sha256;
  }

  async get(sha256: string): Promise<Uint8Array> {
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(this.path(sha256));
    } catch {
      throw new ModelError('ARTIFACT_NOT_FOUND', `artifact ${sha256} is not in ${this.shown}`, {
        sha256,
        store: this.shown,
      });
    }
    if (sha256Hex(bytes) !== sha256)
      throw new ModelError('ARTIFACT_CORRUPT', `artifact ${this.path(sha256)} does not hash to its name`, {
        sha256,
      });
    return bytes;
  }

  async close(): Promise<void> {}
}
