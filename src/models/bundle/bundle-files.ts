// Reading and writing bundle folders: atomic creation (temporary folder, fsync, rename), never overwrite.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, openSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ModelError } from '../../core/errors.js';
import { formatIssues } from '../../core/schema-issues.js';
import { durable } from '../../state/index.js';
import { MANIFEST_FILE, type Manifest, ManifestSchema, WEIGHTS_FILE } from './manifest.js';

export interface BundleOnDisk {
  readonly dir: string;
  readonly manifest: Manifest;
  /** weights.bin, when the manifest declares a network. */
  readonly weights: Uint8Array | null;
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

/** sha256 (hex) of bytes. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Writes a bundle folder at `dir` atomically: the files go to a temporary sibling folder, are fsynced,
 * and the folder is renamed into place. Refuses (ModelError BUNDLE_EXISTS) when `dir` exists: bundles
 * are immutable. The manifest is validated before anything is written.
 */
export function writeBundle(dir: string, manifest: Manifest, weights: Uint8Array | null): void {
  const valid = ManifestSchema.parse(manifest);
  const files: [string, string | Uint8Array][] = weights ? [[WEIGHTS_FILE, weights]] : [];
  writeBundleFolder(dir, [...files, [MANIFEST_FILE, `${JSON.stringify(valid, null, 2)}\n`]]);
}

/**
 * Creates the folder `dir` holding `files` (name, contents; written in this order, each fsynced) through a
 * temporary sibling folder renamed into place. ModelError BUNDLE_EXISTS when `dir` exists.
 */
export function writeBundleFolder(
  dir: string,
  files: readonly (readonly [string, string | Uint8Array])[],
): void {
  if (existsSync(dir))
    throw new ModelError(
      'BUNDLE_EXISTS',
      `model bundle ${dir} exists already; bundles are never overwritten`,
      { dir },
    );
  const parent = dirname(dir);
  if (!existsSync(parent)) durable.mkdir(parent);
  const tmp = join(parent, `${BUNDLE_TMP_PREFIX}${randomBytes(6).toString('hex')}`);
  durable.mkdir(tmp);
  try {
    for (const [name, contents] of files) writeSynced(join(tmp, name), contents);
    fsyncDir(tmp);
    if (existsSync(dir))
      throw new ModelError(
        'BUNDLE_EXISTS',
        `model bundle ${dir} exists already; bundles are never overwritten`,
        { dir },
      );
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

/** The parsed JSON of a bundle's manifest.json, not yet validated (its `kind` says which schema applies). */
export function readManifestJson(dir: string): unknown {
  const manifestPath = join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = readFileSync(manifestPath, 'utf8');
  } catch {
    throw new ModelError('BUNDLE_NOT_FOUND', `no model bundle at ${dir} (missing ${MANIFEST_FILE})`, { dir });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ModelError('BUNDLE_INVALID', `${manifestPath}: not valid JSON (${(error as Error).message})`, {
      dir,
    });
  }
}

/** Reads and validates a bundle folder; errors name the folder and the field. */
export function readBundle(dir: string): BundleOnDisk {
  const manifestPath = join(dir, MANIFEST_FILE);
  const raw = readManifestJson(dir);
  const parsed = ManifestSchema.safeParse(raw);
  if (!parsed.success)
    throw new ModelError('BUNDLE_INVALID', `${manifestPath}: ${formatIssues(parsed.error, raw)}`, {
      dir,
      issues: parsed.error.issues,
    });
  const manifest = parsed.data;
  let weights: Uint8Array | null = null;
  if (manifest.network) {
    const weightsPath = join(dir, WEIGHTS_FILE);
    try {
      weights = readFileSync(weightsPath);
    } catch {
      throw new ModelError(
        'BUNDLE_WEIGHTS_MISSING',
        `${weightsPath}: missing, but the manifest declares a network`,
        {
          dir,
        },
      );
    }
    if (sha256Hex(weights) !== manifest.network.sha256)
      throw new ModelError('BUNDLE_WEIGHTS_CORRUPT', `${weightsPath}: sha256 differs from the manifest's`, {
        dir,
      });
  }
  return { dir, manifest, weights };
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
