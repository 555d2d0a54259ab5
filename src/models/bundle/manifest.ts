// The model bundle manifest: what a trained model is, what it needs from a market, how it was made.
import { z } from 'zod';
import { normalisationSchema } from '../../features/index.js';

export const BUNDLE_SCHEMA_VERSION = 1;
export const MANIFEST_FILE = 'manifest.json';
export const WEIGHTS_FILE = 'weights.bin';

export const ModelKindSchema = z.enum(['rule', 'ppo', 'ensemble']);
export type ModelKind = z.infer<typeof ModelKindSchema>;

/** A dense network stored in weights.bin: layer sizes declared here, never inferred from the file. */
export const NetworkSpecSchema = z.strictObject({
  /** Sizes input, hidden..., output; weights.bin holds, per layer, W (outputs x inputs) then b. */
  layerSizes: z.array(z.number().int().positive()).min(2),
  /** Hidden activation (the output layer is linear). */
  activation: z.literal('tanh'),
  /** The output head: softmax over [cash, symbols...] gives the target weights. */
  head: z.literal('softmax-cash-first'),
  /** sha256 of weights.bin, hex. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type NetworkSpec = z.infer<typeof NetworkSpecSchema>;

export const EnsembleMemberSchema = z.strictObject({
  /** Bundle folder, relative to the models root (e.g. "momentum-study/12"). */
  path: z.string().min(1),
  /** Relative weight in the mean vote, > 0. */
  weight: z.number().positive(),
});

export const ManifestSchema = z.strictObject({
  schemaVersion: z.literal(BUNDLE_SCHEMA_VERSION),
  kind: ModelKindSchema,
  /** Rule strategy name for kind "rule" (see RULE_STRATEGIES), else null. */
  strategy: z.string().nullable(),
  /** Symbols in the order of the model's weights; a market must match exactly. */
  symbols: z.array(z.string().min(1)).min(1),
  /** Bar length, e.g. "1h". */
  timeframe: z.string(),
  /** Feature names in observation order ([] for rules, which read prices directly). */
  features: z.array(z.string()),
  lookback: z.number().int().min(0),
  /** Length of the observation vector (0 for models without one). */
  observationSize: z.number().int().min(0),
  /** Number of target weights the model writes (= symbols.length). */
  actionSize: z.number().int().positive(),
  /** Feature normalisation fitted on the training range only (null for rules). */
  normalisation: normalisationSchema.nullable(),
  /** Every hyperparameter of the trial. */
  params: z.record(z.string(), z.unknown()),
  trainingScore: z.number().nullable(),
  study: z.string(),
  trialNumber: z.number().int().min(0).nullable(),
  /** sha256 of the training data (symbols, timestamps, OHLCV of the training range). */
  dataHash: z.string(),
  /** [first, last] bar open time (ISO) of the training range and of each validation window. */
  trainingWindow: z.tuple([z.string(), z.string()]).nullable(),
  validationWindows: z.array(z.tuple([z.string(), z.string()])),
  packageVersion: z.string(),
  createdAt: z.string(),
  network: NetworkSpecSchema.nullable(),
  members: z.array(EnsembleMemberSchema).nullable(),
});

export type Manifest = z.infer<typeof ManifestSchema>;
