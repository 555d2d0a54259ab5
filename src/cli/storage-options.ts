// The --storage and --artifacts flags of every command that reads or writes studies; their defaults come from
// hybrid.config.json's storage section (flags > HYBRID_TRADER__STORAGE__* > the file > sqlite:///studies.db).
import type { Command } from 'commander';
import type { StudyStorageConfig } from '../training/storage/index.js';

export interface StorageFlags {
  storage?: string;
  artifacts?: string;
}

/** Adds --storage, and --artifacts unless `artifacts` is false. */
export function addStorageOptions(cmd: Command, options: { artifacts?: boolean } = {}): Command {
  cmd.option(
    '--storage <url>',
    'study storage: sqlite:///studies.db (relative paths under --root) or postgresql://user@host:5432/db (default: storage.url of hybrid.config.json, else sqlite:///studies.db)',
  );
  if (options.artifacts !== false)
    cmd.option(
      '--artifacts <store>',
      'where trial bundles are published and fetched: auto (the study database when it is PostgreSQL, else none), none, database, file:///shared/folder (default: storage.artifacts of hybrid.config.json, else auto)',
    );
  return cmd;
}

/** The storage URL and artifact store a command uses: its flags, else the workspace configuration's. */
export function resolveStorage(
  flags: StorageFlags,
  config: StudyStorageConfig,
): { readonly storage: string; readonly artifacts: string } {
  return { storage: flags.storage ?? config.url, artifacts: flags.artifacts ?? config.artifacts };
}
