// The `data` section of hybrid.config.json: how every command that reads market files treats them.
import { z } from 'zod';
import { DUPLICATE_POLICIES } from './loaders/duplicates.js';
import { BarChecksSchema } from './loaders/suspicious-bars.js';

/** Market data options shared by every command that reads data (flags such as --on-duplicate override them). */
export const DataConfigSchema = z.strictObject({
  /**
   * Rows of one symbol and time whose values differ: `refuse` the load (default), or keep the `first` /
   * `last` such row in the file's own row order. Identical rows are always reduced to one.
   */
  onDuplicate: z.enum(DUPLICATE_POLICIES).default('refuse'),
  /**
   * Keep a binary copy of each parsed file of 1 MiB or more under <root>/cache/market/, used while the
   * file's sha256 is unchanged (--no-data-cache skips it for one command).
   */
  cache: z.boolean().default(true),
  /** Thresholds of the suspicious-bar report of `data check`; its magnitude bounds every command enforces. */
  checks: BarChecksSchema.default(BarChecksSchema.parse({})),
});

/** See DataConfigSchema. */
export type DataConfig = z.infer<typeof DataConfigSchema>;

/** The defaults of the `data` section. */
export const DEFAULT_DATA_CONFIG: DataConfig = DataConfigSchema.parse({});
