// The `storage` section of hybrid.config.json: where the workspace's studies live (config/ composes it).
import { z } from 'zod';

/** The default study storage: `studies.db` under the workspace root. */
export const DEFAULT_STORAGE_URL = 'sqlite:///studies.db';

export const StudyStorageConfigSchema = z.strictObject({
  /**
   * Study storage URL: `sqlite:///studies.db` (relative to the workspace root) or
   * `postgresql://user@host:5432/db` for a study shared by several hosts. `--storage` overrides it; keep a
   * password out of the file with HYBRID_TRADER__STORAGE__URL.
   */
  url: z.string().min(1).default(DEFAULT_STORAGE_URL),
  /**
   * Where trial bundles are published and fetched: `auto` (the study's database when it is PostgreSQL, else
   * none), `none`, `database`, or a shared folder (`file:///path` or a path). `--artifacts` overrides it.
   */
  artifacts: z.string().min(1).default('auto'),
});
export type StudyStorageConfig = z.infer<typeof StudyStorageConfigSchema>;
