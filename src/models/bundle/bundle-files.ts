// Reading and writing bundle folders: atomic creation (temporary folder, fsync, rename), never overwrite;
// the manifest chosen by its kind, the kind's files read and checked against the hashes it records.
import { randomBytes } from 'node:crypto';
import { existsSync, openSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { z } from 'zod';
import { ModelError } from '../../core/errors.js';
import { formatIssues } from '../../core/schema-issues.js';
import { durable, parseJsonOr, readFileIfExists } from '../../state/index.js';
import type { ModelKind } from '../kind.js';
import { kindOfManifest, type Manifest, ManifestSchema, manifestFieldsOf } from '../kinds.js';
import { MANIFEST_FILE, upgradeManifest } from './manifest.js';
import { sha256Hex } from './sha256.js';

export interface BundleOnDisk {
  readonly dir: string;
  readonly manifest: Manifest;
  /** The kind's files beside manifest.json, by name (each matched the sha256 its manifest records). */
  readonly files: ReadonlyMap<string, Uint8Array>;
}

function writeSynced(path: string, data: string | Uint8Array): void {
  const fd = durable.open(path, 'wx');
  try {
    durable.write(fd, typeof data === 'string' ? Buffer.from(data) : data, path);
    durable.fsync(fd, path);
  } finally {
    durable.close(fd);
  }
}

function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    durable.fsync(fd, dir);
  } finally {
    durable.close(fd);
  }
}

/** Temporary folders of bundles being written start with this (a killed write leaves one behind). */
export const BUNDLE_TMP_PREFIX = '.tmp-';

const exists = (dir: string) =>
  new ModelError('BUNDLE_EXISTS', `model bundle ${dir} exists already; bundles are never overwritten`, {
    dir,
  });

/**
 * Refuses (ModelError BUNDLE_FILES_MISMATCH) files that are not exactly the kind's files for this
 * manifest, or whose sha256 differs from the one the manifest records.
 */
function checkFiles(
  kind: ModelKind,
  manifest: Manifest,
  files: ReadonlyMap<string, Uint8Array>,
  dir: string,
) {
  const declared = kind.files(manifest);
  const names = declared.map((f) => f.name).sort();
  const given = [...files.keys()].sort();
  if (names.join('\u0000') !== given.join('\u0000'))
    throw new ModelError(
      'BUNDLE_FILES_MISMATCH',
      `${dir}: a ${manifest.kind} bundle has the files [${names.join(', ')}], was given [${given.join(', ')}]`,
      { dir },
    );
  for (const f of declared)
    if (f.sha256 !== null && sha256Hex(files.get(f.name)!) !== f.sha256)
      throw new ModelError(
        'BUNDLE_FILES_MISMATCH',
        `${join(dir, f.name)}: sha256 differs from the manifest's`,
        {
          dir,
        },
      );
}

/**
 * Writes a bundle folder at `dir` atomically: the manifest and the kind's `files` go to a temporary sibling
 * folder, are fsynced, and the folder is renamed into place. Refuses (ModelError BUNDLE_EXISTS) when `dir`
 * exists: bundles are immutable. The manifest is validated (its kind's schema) and the files checked
 * against the kind's list and hashes before anything is written.
 */
export function writeBundle(
  dir: string,
  manifest: z.input<typeof ManifestSchema>,
  files: ReadonlyMap<string, Uint8Array> = new Map(),
): void {
  const valid = ManifestSchema.parse(manifest);
  checkFiles(kindOfManifest(valid), valid, files, dir);
  if (existsSync(dir)) throw exists(dir);
  const parent = dirname(dir);
  if (!existsSync(parent)) durable.mkdir(parent);
  const tmp = join(parent, `${BUNDLE_TMP_PREFIX}${randomBytes(6).toString('hex')}`);
  durable.mkdir(tmp);
  try {
    for (const [name, bytes] of files) writeSynced(join(tmp, name), bytes);
    writeSynced(join(tmp, MANIFEST_FILE), `${JSON.stringify(valid, null, 2)}\n`);
    fsyncDir(tmp);
    if (existsSync(dir)) throw exists(dir);
    durable.rename(tmp, dir);
    fsyncDir(parent);
  } catch (error) {
    try {
      rmSync(tmp, { recursive: true, force: true });
    } catch {
      // a leftover folder is swept later (sweepBundleTemps)
    }
    throw error;
  }
}

/**
 * The manifest of the bundle at `dir`, validated by its kind's schema (a schemaVersion 1 manifest, one
 * flat object for every kind, is read as version 2). Throws ModelError naming the folder and the field.
 */
export function readManifest(dir: string): { manifest: Manifest; bytes: Uint8Array } {
  const manifestPath = join(dir, MANIFEST_FILE);
  const bytes = readFileIfExists(manifestPath);
  if (bytes === null)
    throw new ModelError('BUNDLE_NOT_FOUND', `no model bundle at ${dir} (missing ${MANIFEST_FILE})`, { dir });
  const raw = parseJsonOr(
    manifestPath,
    bytes.toString('utf8'),
    (message) => new ModelError('BUNDLE_INVALID', message, { dir }),
  );
  const upgraded = upgradeManifest(raw, manifestFieldsOf);
  const parsed = ManifestSchema.safeParse(upgraded);
  if (!parsed.success)
    throw new ModelError('BUNDLE_INVALID', `${manifestPath}: ${formatIssues(parsed.error, upgraded)}`, {
      dir,
      issues: parsed.error.issues,
    });
  return { manifest: parsed.data, bytes };
}

/** Reads and validates a bundle folder: its manifest and its kind's files; errors name the file and field. */
export function readBundle(dir: string): BundleOnDisk {
  const { manifest } = readManifest(dir);
  return { dir, manifest, files: readKindFiles(dir, manifest) };
}

/** The kind's files of a bundle, each checked against the sha256 its manifest records. */
function readKindFiles(dir: string, manifest: Manifest): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  for (const f of kindOfManifest(manifest).files(manifest)) {
    const path = join(dir, f.name);
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(path);
    } catch {
      throw new ModelError('BUNDLE_FILE_MISSING', `${path}: missing, but the manifest declares it`, { dir });
    }
    if (f.sha256 !== null && sha256Hex(bytes) !== f.sha256)
      throw new ModelError('BUNDLE_FILE_CORRUPT', `${path}: sha256 differs from the manifest's`, { dir });
    files.set(f.name, bytes);
  }
  return files;
}

/** One file a model depends on, with its content hash. */
export interface BundleFileHash {
  /** The bundle folder it belongs to (an ensemble lists its members' files too). */
  readonly bundle: string;
  /** Its name in that folder: manifest.json, then the kind's files. */
  readonly file: string;
  readonly sha256: string;
  readonly bytes: number;
}

/**
 * Every file of the bundle at `dir` with its sha256: manifest.json and its kind's files, then, for a kind
 * that loads other bundles (an ensemble), every file of each of those, in order. What decides the
 * model's behaviour, byte for byte: the policy cache keys on it, and it is what a deployment can record.
 * `modelsRoot` resolves relative member paths (default: two folders up, models/<study>/<trial>). Throws
 * ModelError as readBundle does (a missing or corrupt file is never hashed as if it were fine).
 */
export function bundleFileHashes(dir: string, modelsRoot = join(dir, '..', '..')): BundleFileHash[] {
  const { manifest, bytes } = readManifest(dir);
  const kind = kindOfManifest(manifest);
  const own = readKindFiles(dir, manifest);
  const out: BundleFileHash[] = [
    { bundle: dir, file: MANIFEST_FILE, sha256: sha256Hex(bytes), bytes: bytes.byteLength },
    ...[...own].map(([file, content]) => ({
      bundle: dir,
      file,
      sha256: sha256Hex(content),
      bytes: content.byteLength,
    })),
  ];
  for (const dep of kind.dependencies?.(manifest, dir, modelsRoot) ?? [])
    out.push(...bundleFileHashes(dep, modelsRoot));
  return out;
}

/**
 * Removes the temporary folders (`.tmp-*`) that killed bundle writes left in `dir` (a study's or the
 * ensembles' folder) and that are older than `minAgeMs` (0: all; a folder other processes may be writing
 * into right now needs an age, as a bundle write takes milliseconds). Returns the folders removed.
 */
export function sweepBundleTemps(dir: string, minAgeMs: number, nowMs: number = Date.now()): string[] {
  if (!existsSync(dir)) return [];
  const removed: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (!name.startsWith(BUNDLE_TMP_PREFIX)) continue;
    const path = join(dir, name);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat?.isDirectory() || nowMs - stat.mtimeMs < minAgeMs) continue;
    durable.remove(path);
    removed.push(path);
  }
  return removed;
}
