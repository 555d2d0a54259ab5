// The market-data flags every command that reads data shares (--on-duplicate), resolved over the config.
import { type Command, Option } from 'commander';
import type { DataConfig } from '../market/data-config.js';
import { DUPLICATE_POLICIES, type DuplicatePolicy } from '../market/loaders/duplicates.js';

/** The data flags as commander parses them. */
export interface DataFlags {
  onDuplicate?: DuplicatePolicy;
}

/** The options of a load that come from flags and configuration. */
export interface ResolvedDataOptions {
  readonly onDuplicate: DuplicatePolicy;
}

/** Adds --on-duplicate (its default comes from data.onDuplicate in hybrid.config.json, else refuse). */
export function addDataOptions(cmd: Command): Command {
  return cmd.addOption(
    new Option(
      '--on-duplicate <policy>',
      'rows of one symbol and time with different values: refuse, or keep the first or last in file order (default: data.onDuplicate of hybrid.config.json, else refuse)',
    ).choices(DUPLICATE_POLICIES),
  );
}

/** Flags over the `data` section of the configuration (itself over the defaults). */
export function resolveDataOptions(flags: DataFlags, config?: DataConfig): ResolvedDataOptions {
  return { onDuplicate: flags.onDuplicate ?? config?.onDuplicate ?? 'refuse' };
}
