// The `trainer` section of hybrid.config.json: what `start --train`'s rolling trainer runs (config/ composes it).
import { z } from 'zod';
import { StudyNameSchema } from '../training/workers/train-options.js';

export const TrainerConfigSchema = z.strictObject({
  /** Study the trainer adds trials to (default: the first of deployer.studies, else "live"). */
  study: StudyNameSchema.nullable().default(null),
  kind: z.string().min(1).default('momentum'),
  trialsPerRound: z.number().int().min(1).default(4),
  workers: z.number().int().min(1).max(64).default(1),
  /** Bars between the starts of two rounds. */
  everyBars: z.number().int().min(1).default(24),
  trainBars: z.number().int().min(1).default(1440),
  validationBars: z.number().int().min(2).default(240),
  embargoBars: z.number().int().min(0).default(24),
  /** Bars before the training window for indicator warm-up. */
  warmupBars: z.number().int().min(0).default(200),
  ppoSteps: z.number().int().min(1).default(16_384),
  seed: z.number().int().min(0).default(0),
});
export type TrainerConfig = z.infer<typeof TrainerConfigSchema>;
