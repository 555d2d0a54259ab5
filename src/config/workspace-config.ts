// hybrid.config.json: the workspace's configuration (simulator, arena, deployer), zod-validated.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../core/errors.js';
import { ArenaConfigSchema } from '../lifecycle/arena/index.js';
import { DeploymentModeSchema } from '../lifecycle/deployer/index.js';
import { SimConfigSchema } from '../sim/index.js';
import { describeIssue, readJsonFile, writeJsonFile } from '../state/index.js';
import { applyEnvOverrides } from './env-overrides.js';

export const CONFIG_FILE = 'hybrid.config.json';

export const WorkspaceConfigSchema = z.strictObject({
  schemaVersion: z.literal(1),
  /** The simulator: costs, caps, reserve and risk overlays, shared by paper trader, arena and training. */
  sim: SimConfigSchema.default(SimConfigSchema.parse({})),
  /** Arena membership and the promotion gate's thresholds. */
  arena: ArenaConfigSchema.default(ArenaConfigSchema.parse({})),
  deployer: z
    .strictObject({
      mode: DeploymentModeSchema.default('hybrid'),
      /** Studies whose completed trials are deployed (commands' --study overrides). */
      studies: z.array(z.string().min(1)).default([]),
      scoreMargin: z.number().min(0).default(0),
    })
    .default({ mode: 'hybrid', studies: [], scoreMargin: 0 }),
});

export type WorkspaceConfig = z.infer<typeof WorkspaceConfigSchema>;

/**
 * The workspace's configuration: the defaults, under the file's values (all defaults when there is none),
 * under HYBRID_TRADER__SECTION__KEY environment variables (env-overrides.ts). An override that makes the
 * configuration invalid is a ConfigError naming the variables.
 */
export function loadWorkspaceConfig(
  root: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): WorkspaceConfig {
  const path = join(root, CONFIG_FILE);
  const stored =
    readJsonFile(path, WorkspaceConfigSchema) ?? WorkspaceConfigSchema.parse({ schemaVersion: 1 });
  const { config, applied } = applyEnvOverrides(stored as Record<string, unknown>, env);
  if (applied.length === 0) return stored;
  const parsed = WorkspaceConfigSchema.safeParse(config);
  if (!parsed.success)
    throw new ConfigError(
      'CONFIG_ENV_INVALID',
      `${applied.map((o) => o.variable).join(', ')} over ${path}: ${describeIssue(parsed.error)}`,
      { variables: applied.map((o) => o.variable) },
    );
  return parsed.data;
}

/** Writes the defaults to hybrid.config.json; refuses to overwrite an existing file. Returns its path. */
export function initWorkspaceConfig(root: string): string {
  const path = join(root, CONFIG_FILE);
  if (existsSync(path))
    throw new ConfigError(
      'CONFIG_EXISTS',
      `${path} exists already; edit it, or remove it to start from the defaults`,
    );
  writeJsonFile(path, WorkspaceConfigSchema, WorkspaceConfigSchema.parse({ schemaVersion: 1 }));
  return path;
}
