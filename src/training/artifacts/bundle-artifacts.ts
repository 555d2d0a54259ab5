// Bundles through an artifact store: the worker publishes a trial's bundle folder, a deployer elsewhere fetches
// it into its own models/ folder, each file checked against its sha256 and the whole against the bundle digest.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ModelError } from '../../core/errors.js';
import { type BundleFileHash, bundleFileHashes, sha256Hex } from '../../models/bundle/index.js';
import { type ArtifactRecord, type ArtifactStore, bundleDigest } from './artifact-store.js';
import { fsyncFolder, temporaryName, writeNewFileSynced } from './synced-files.js';

/**
 * The bundle's own files, as its manifest declares them (bundleFileHashes: manifest.json, then its kind's
 * files, each checked against the sha256 the manifest records). A bundle that loads other bundles (an
 * ensemble) is not a trial's and is refused (ModelError ARTIFACT_UNSUPPORTED): it would not travel alone.
 */
function bundleFiles(dir: string): BundleFileHash[] {
  const all = bundleFileHashes(dir);
  if (all.some((f) => f.bundle !== dir))
    throw new ModelError(
      'ARTIFACT_UNSUPPORTED',
      `${dir} loads other bundles (an ensemble): only single bundles are published`,
      { dir },
    );
  return all;
}

/** The record of the bundle at `dir` as it is on disk (what {@link publishBundle} publishes). */
export function describeBundle(dir: string, store: ArtifactRecord['store']): ArtifactRecord {
  const files = bundleFiles(dir).map((f) => ({ name: f.file, sha256: f.sha256, bytes: f.bytes }));
  return { store, sha256: bundleDigest(files), files };
}

/**
 * Puts every file of the bundle at `dir` into `store` and returns the record the trial carries (its
 * user attribute `artifact`). Safe to repeat: blobs already stored are not written again.
 */
export async function publishBundle(store: ArtifactStore, dir: string): Promise<ArtifactRecord> {
  const record = describeBundle(dir, store.kind);
  for (const f of record.files) {
    const bytes = readFileSync(join(dir, f.name));
    if ((await store.put(bytes)) !== f.sha256)
      throw new ModelError('BUNDLE_FILE_CORRUPT', `${join(dir, f.name)} changed while it was published`, {
        dir,
      });
  }
  return record;
}

/**
 * The digest of the files the record names as they are in `dir` (a missing one counts as empty): the
 * record's own files are what is checked, whoever published it (a bundle published from Python lists
 * every file of its folder).
 */
function localDigest(dir: string, record: ArtifactRecord): { sha256: string } {
  const files = record.files.map((f) => {
    let sha256 = '';
    try {
      sha256 = sha256Hex(readFileSync(join(dir, f.name)));
    } catch {
      // missing: the digest cannot match
    }
    return { name: f.name, sha256 };
  });
  return { sha256: bundleDigest(files) };
}

/**
 * Makes the bundle of `record` available at `dir`. When `dir` exists it must hold the record's files with
 * their sha256 (the same digest), else ModelError ARTIFACT_MISMATCH names both; when it does not, every file is fetched
 * from `store`, checked against its sha256 and size, written to a temporary sibling folder, fsynced and
 * renamed into place, so `dir` only ever appears complete. Throws ModelError ARTIFACT_STORE_MISMATCH when
 * the record names another kind of store, and what the store throws (ARTIFACT_NOT_FOUND, ARTIFACT_CORRUPT).
 */
export async function fetchBundle(
  store: ArtifactStore,
  record: ArtifactRecord,
  dir: string,
): Promise<'local' | 'fetched'> {
  if (existsSync(dir)) {
    const local = localDigest(dir, record);
    if (local.sha256 !== record.sha256)
      throw new ModelError(
        'ARTIFACT_MISMATCH',
        `${dir} holds another bundle (digest ${local.sha256}) than the trial's (${record.sha256}); move it away to fetch the trial's`,
        { dir, local: local.sha256, expected: record.sha256 },
      );
    return 'local';
  }
  if (record.store !== store.kind)
    throw new ModelError(
      'ARTIFACT_STORE_MISMATCH',
      `the bundle for ${dir} was published to the ${record.store} store; this process reads ${store.kind} (${store.shown})`,
      { dir, published: record.store, reading: store.kind },
    );
  if (bundleDigest(record.files) !== record.sha256)
    throw new ModelError(
      'ARTIFACT_CORRUPT',
      `the artifact record for ${dir} does not match its own files' digest`,
      { dir },
    );
  const parent = dirname(dir);
  mkdirSync(parent, { recursive: true });
  const tmp = temporaryName(parent);
  mkdirSync(tmp);
  try {
    for (const f of record.files) {
      const bytes = await store.get(f.sha256);
      if (bytes.byteLength !== f.bytes)
        throw new ModelError(
          'ARTIFACT_CORRUPT',
          `artifact ${f.sha256} (${f.name}) has ${bytes.byteLength} bytes, the record says ${f.bytes}`,
          {
            sha256: f.sha256,
          },
        );
      writeNewFileSynced(join(tmp, f.name), bytes);
    }
    fsyncFolder(tmp);
    if (existsSync(dir)) {
      // fetched by another process meanwhile: theirs must be the same bundle
      rmSync(tmp, { recursive: true, force: true });
      return fetchBundle(store, record, dir);
    }
    renameSync(tmp, dir);
  } catch (error) {
    rmSync(tmp, { recursive: true, force: true });
    throw error;
  }
  return 'fetched';
}
