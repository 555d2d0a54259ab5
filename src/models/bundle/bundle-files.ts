// Reading and writing bundle folders: atomic creation (temporary folder, fsync, rename), never overwrite.
import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { ModelError } from '../../core/errors.js';
import { formatIssues } from '../../core/schema-issues.js';
import { MANIFEST_FILE, type Manifest, ManifestSchema, WEIGHTS_FILE } from './manifest.js';

export interface BundleOnDisk {
  readonly dir: string;
  readonly manifest: Manifest;
  /** weights.bin, when the manifest declares a network. */
  readonly weights: Uint8Array | null;
}

function writeSynced(path: string, data: string | Uint8Array): void {
  const fd = openSync(path, 'wx');
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

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
  mkdirSync(parent, { recursive: true });
  const tmp = join(parent, `.tmp-${randomBytes(6).toString('hex')}`);
  mkdirSync(tmp);
  try {
    for (const [name, contents] of files) writeSynced(join(tmp, name), contents);
    fsyncDir(tmp);
    if (existsSync(dir))
      throw new ModelError(
        'BUNDLE_EXISTS',
        `model bundle ${dir} exists already; bundles are never overwritten`,
        { dir },
      );
    renameSync(tmp, dir);
    fsyncDir(parent);
  } catch (error) {
    rmSync(tmp, { recursive: true, force: true });
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
