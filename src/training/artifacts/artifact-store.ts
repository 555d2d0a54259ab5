// Where trial bundles travel between hosts: a small content-addressed store, and the record a trial carries.
import { z } from 'zod';
import { sha256Hex } from '../../models/bundle/index.js';

const Sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 in lowercase hex');

/** Where a trial's bundle was published: `database` (the study's PostgreSQL database) or `files` (a shared folder). */
export const ArtifactStoreKindSchema = z.enum(['database', 'files']);
export type ArtifactStoreKind = z.infer<typeof ArtifactStoreKindSchema>;

/** The trial user attribute that carries an {@link ArtifactRecord}. */
export const ARTIFACT_ATTR = 'artifact';

/**
 * The trial user attribute `artifact`: the store the bundle went to, its digest, and its files by name
 * with their sha256 and size. Written by the worker before the trial is COMPLETE; read by whoever
 * deploys the trial, which fetches each file by its sha256 and checks it.
 */
export const ArtifactRecordSchema = z.strictObject({
  store: ArtifactStoreKindSchema,
  /** {@link bundleDigest} of `files`. */
  sha256: Sha256Schema,
  files: z
    .array(
      z.strictObject({
        name: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9._-]*$/, 'a file name without folders'),
        sha256: Sha256Schema,
        bytes: z.number().int().min(0),
      }),
    )
    .min(1),
});
export type ArtifactRecord = z.infer<typeof ArtifactRecordSchema>;

/**
 * The digest of a bundle: sha256 of the lines `<file sha256>  <file name>\n`, one per file, sorted by
 * name in byte order: what `sha256sum * | sha256sum` prints in the bundle folder (C locale).
 */
export function bundleDigest(files: readonly { readonly name: string; readonly sha256: string }[]): string {
  const lines = [...files]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((f) => `${f.sha256}  ${f.name}\n`)
    .join('');
  return sha256Hex(Buffer.from(lines, 'utf8'));
}

/**
 * A content-addressed store of bytes that every participant of a study can reach. Small on purpose: a
 * bundle is a few files, each stored once under its sha256, so anything that can put and get bytes by
 * name can be one (a shared folder and the study's PostgreSQL database are implemented).
 */
export interface ArtifactStore {
  readonly kind: ArtifactStoreKind;
  /** Where it is, for messages (passwords masked). */
  readonly shown: string;
  /** Stores `bytes` under their sha256 (nothing to do when they are there already); returns the sha256. */
  put(bytes: Uint8Array): Promise<string>;
  /**
   * The bytes stored under `sha256`, checked against it. Throws ModelError ARTIFACT_NOT_FOUND, or
   * ARTIFACT_CORRUPT when the stored bytes do not hash to their name.
   */
  get(sha256: string): Promise<Uint8Array>;
  close(): Promise<void>;
}
