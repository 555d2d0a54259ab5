// Everything a `train` run needs, validated once; passed to every worker thread as plain data.
import { z } from 'zod';
import { parseConfig } from '../../core/schema-issues.js';
import { DUPLICATE_POLICIES } from '../../market/loaders/duplicates.js';
import { SimConfigSchema } from '../../sim/index.js';
import { WalkForwardSchema } from '../objective/index.js';

export const SamplerNameSchema = z.enum(['tpe', 'random']);

/** A study trained here: its name is also a folder name (models/<study>/<trial>/). */
export const StudyNameSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9._-]+$/, 'use letters, digits, dot, dash and underscore');

export const TrainOptionsSchema = z.strictObject({
  /** Study name (created when missing). */
  study: StudyNameSchema,
  /** Trials this process runs (several processes on one storage add up); Infinity: until stopped. */
  trials: z.union([z.number().int().min(1), z.literal(Number.POSITIVE_INFINITY)]),
  /** Worker threads running trials in parallel. */
  workers: z.number().int().min(1).max(64).default(1),
  /** Model kind, or "any" to let each trial sample one. */
  kind: z.string().default('momentum'),
  /** Storage URL, e.g. sqlite:///studies.db (relative to the workspace root). */
  storageUrl: z.string(),
  /**
   * Where each trial's bundle is published for other hosts: auto (the study's database when it is
   * PostgreSQL, else none), none, database, or a shared folder (file:///path or a path).
   */
  artifacts: z.string().min(1).default('auto'),
  /** --data value: file path(s) or builtin[?seed=..&bars=..]. */
  data: z.string().default('builtin'),
  /** Rows of one symbol and time with different values in --data files: refuse, or keep the first or last. */
  onDuplicate: z.enum(DUPLICATE_POLICIES).default('refuse'),
  /** First bar of the data the study sees (epoch ms, inclusive); null = the data's first. */
  fromMs: z.number().int().nullable().default(null),
  /** End of the data the study sees (epoch ms, exclusive); null = the data's end. */
  toMs: z.number().int().nullable().default(null),
  /** Binary cache of parsed --data files, shared by the workers (null: none). */
  dataCacheDir: z.string().nullable().default(null),
  /** Bars of --data outside these bounds are refused (null: the defaults of `data.checks`). */
  dataBounds: z
    .object({ minPrice: z.number(), maxPrice: z.number(), maxVolume: z.number() })
    .nullable()
    .default(null),
  /** Workspace root: models/ is written under it. */
  root: z.string(),
  sampler: SamplerNameSchema.default('tpe'),
  /** Sampler seed (each trial's draws derive from it and the trial number). */
  seed: z.number().int().min(0).default(0),
  /**
   * Reproducible whatever the worker timing: trial n samples and prunes against trials numbered below
   * n - (workers - 1) only, waiting for them to finish, so the same seed and data give the same study.
   * Off: each trial learns from whatever has finished when it starts (no waiting, timing-dependent).
   */
  deterministic: z.boolean().default(true),
  /** A trial running longer is stopped and marked FAIL. */
  timeoutPerTrialS: z.number().positive().default(600),
  /** Heap limit of each worker thread; a trial exceeding it is marked FAIL. */
  memoryPerTrialMb: z.number().int().min(64).default(1024),
  /** PPO environment steps per trial. */
  ppoSteps: z.number().int().min(1).default(16_384),
  /** Seconds between two heartbeats of a running trial (the stale-trial check's grace must span several). */
  heartbeatIntervalS: z.number().positive().max(3600).default(5),
  /** The `worker` process these trials belong to (recorded on each trial), or null for `train`. */
  workerId: z.string().min(1).max(100).nullable().default(null),
  walkForward: WalkForwardSchema.default(WalkForwardSchema.parse({})),
  sim: SimConfigSchema.default(SimConfigSchema.parse({})),
});

export type TrainOptions = z.infer<typeof TrainOptionsSchema>;
export type TrainOptionsInput = z.input<typeof TrainOptionsSchema>;

/** Validated train options (flags and config as given: anything is checked); ConfigError TRAIN_OPTIONS_INVALID (exit code 2) naming every bad field. */
export function resolveTrainOptions(input: unknown): TrainOptions {
  return parseConfig(TrainOptionsSchema, input, 'TRAIN_OPTIONS_INVALID', 'invalid training options');
}
