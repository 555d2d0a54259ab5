// Chooses the artifact store of a study: its PostgreSQL database, a shared folder, or none (one host).
import { isAbsolute, resolve } from 'node:path';
import { ConfigError } from '../../core/errors.js';
import { parseStorageUrl } from '../storage/index.js';
import type { ArtifactStore } from './artifact-store.js';

/**
 * `auto`: the study's database when it is PostgreSQL, none for SQLite (one host shares its models/
 * folder); `none`; `database` (the PostgreSQL study storage's own database); `file:///shared/path` or a
 * plain path (relative to `baseDir`): a folder every host mounts.
 */
export type ArtifactsSpec = 'auto' | 'none' | 'database' | string;

/**
 * Opens the artifact store `spec` names for the study storage at `storageUrl`, or returns null when
 * bundles stay in the local models/ folder. Throws ConfigError ARTIFACTS_INVALID for `database` with a
 * SQLite storage or an unreadable spec.
 */
export async function openArtifactStore(
  spec: ArtifactsSpec,
  storageUrl: string,
  baseDir: string = process.cwd(),
): Promise<ArtifactStore | null> {
  if (spec === 'none') return null;
  const storage = parseStorageUrl(storageUrl, baseDir);
  if (spec === 'auto' || spec === 'database') {
    if (storage.kind === 'postgresql') {
      const { PostgresArtifactStore } = await import('./postgres-artifact-store.js');
      // one blob at a time: one connection is enough
      return PostgresArtifactStore.open(storage.url, storage.shown, { poolSize: 1 });
    }
    if (spec === 'auto') return null;
    throw new ConfigError(
      'ARTIFACTS_INVALID',
      `--artifacts database needs a PostgreSQL study storage; ${storageUrl} is SQLite (use a shared folder, or none)`,
      { artifacts: spec },
    );
  }
  const path = spec.startsWith('file://') ? decodeURIComponent(new URL(spec).pathname) : spec;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path) || path.trim() === '')
    throw new ConfigError(
      'ARTIFACTS_INVALID',
      `--artifacts must be auto, none, database, file:///path or a folder, was "${spec}"`,
      { artifacts: spec },
    );
  const { FileArtifactStore } = await import('./file-artifact-store.js');
  return new FileArtifactStore(isAbsolute(path) ? path : resolve(baseDir, path));
}
