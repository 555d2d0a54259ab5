// hybrid.config.json: the workspace's configuration (simulator, arena, deployer), zod-validated.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../core/errors.js';
import { parseConfig } from '../core/schema-issues.js';
import { ExchangeConfigSchema } from '../feeds/live/exchange-config.js';
import { ArenaConfigSchema } from '../lifecycle/arena/index.js';
import {
  DeployerPolicySchema,
  DeploymentModeSchema,
  ProtectionConfigSchema,
} from '../lifecycle/deployer/index.js';
import { DataConfigSchema, DEFAULT_DATA_CONFIG } from '../market/data-config.js';
import { DEFAULT_NOTIFICATIONS_CONFIG, NotificationsConfigSchema } from '../runtime/notify/notify-config.js';
import { TrainerConfigSchema } from '../runtime/trainer-config.js';
import { SimConfigSchema } from '../sim/index.js';
import { parseJsonOr, readFileIfExists, writeJsonFile } from '../state/index.js';
import { StudyStorageConfigSchema } from '../training/storage/index.js';
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
      /**
       * `seed`: the seed's deployer exactly (a higher training score always deploys at once); `evidence`:
       * a proven deployed model is not replaced on a training score, and a replaced model waits
       * protection.cooldownHours before it can come back (docs/lifecycle.md).
       */
      policy: DeployerPolicySchema.default('seed'),
      protection: ProtectionConfigSchema.default(ProtectionConfigSchema.parse({})),
    })
    .default({
      mode: 'hybrid',
      studies: [],
      scoreMargin: 0,
      policy: 'seed',
      protection: ProtectionConfigSchema.parse({}),
    }),
  /** How market data files are read: duplicates (`--on-duplicate`). */
  data: DataConfigSchema.default(DEFAULT_DATA_CONFIG),
  /** The live feed (`--live`): exchange, symbols, timeframe, polling and retries. */
  exchange: ExchangeConfigSchema.default(ExchangeConfigSchema.parse({})),
  /** Webhooks (Discord, Slack, JSON) and their limits; URLs best given through environment variables. */
  notifications: NotificationsConfigSchema.default(DEFAULT_NOTIFICATIONS_CONFIG),
  /** The REST API and dashboard that `start --serve` and `serve` run. */
  server: z
    .strictObject({
      host: z.string().min(1).default('127.0.0.1'),
      port: z.number().int().min(0).max(65_535).default(8787),
    })
    .default({ host: '127.0.0.1', port: 8787 }),
  /** The supervisor's trainer (`start --train`): rounds of trials on a rolling window of the feed's bars. */
  trainer: TrainerConfigSchema.default(TrainerConfigSchema.parse({})),
  /** Where the studies live (SQLite here, or a PostgreSQL study shared by several hosts) and their bundles. */
  storage: StudyStorageConfigSchema.default(StudyStorageConfigSchema.parse({})),
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
  const stored = readConfigFile(path);
  const { config, applied } = applyEnvOverrides(
    stored as Record<string, unknown>,
    env,
    WorkspaceConfigSchema,
  );
  if (applied.length === 0) return stored;
  const variables = applied.map((o) => o.variable);
  return parseConfig(
    WorkspaceConfigSchema,
    config,
    'CONFIG_ENV_INVALID',
    `${variables.join(', ')} over ${path}`,
    {
      context: { variables },
    },
  );
}

/**
 * hybrid.config.json with every default filled in (all defaults when there is none). A file that is not
 * JSON or fails the schema is a ConfigError (exit code 2) naming the file and every bad field.
 */
function readConfigFile(path: string): WorkspaceConfig {
  const bytes = readFileIfExists(path);
  if (bytes === null) return WorkspaceConfigSchema.parse({ schemaVersion: 1 });
  const raw = parseJsonOr(
    path,
    bytes.toString('utf8'),
    (message) => new ConfigError('CONFIG_FILE_CORRUPT', message, { path }),
  );
  return parseConfig(WorkspaceConfigSchema, raw, 'CONFIG_FILE_INVALID', path, { context: { path } });
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

/** The check `status` and the server run on the configuration file (see readWorkspaceStatus). */
export function workspaceConfigCheck(root: string): { file: string; load: () => unknown } {
  return { file: join(root, CONFIG_FILE), load: () => loadWorkspaceConfig(root) };
}
