// Search-space distributions, as Optuna 3.x defines them (Float, Int, Categorical), and their JSON form.
import { z } from 'zod';

/** A categorical choice: what Optuna can store in distribution_json. */
export const ChoiceSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export type Choice = z.infer<typeof ChoiceSchema>;

export const FloatDistributionSchema = z.strictObject({
  kind: z.literal('float'),
  low: z.number(),
  high: z.number(),
  log: z.boolean(),
  /** Grid step, or null for continuous. Optuna forbids step with log. */
  step: z.number().positive().nullable(),
});

export const IntDistributionSchema = z.strictObject({
  kind: z.literal('int'),
  low: z.number().int(),
  high: z.number().int(),
  log: z.boolean(),
  step: z.number().int().positive(),
});

export const CategoricalDistributionSchema = z.strictObject({
  kind: z.literal('categorical'),
  choices: z.array(ChoiceSchema).min(1),
});

export const DistributionSchema = z.discriminatedUnion('kind', [
  FloatDistributionSchema,
  IntDistributionSchema,
  CategoricalDistributionSchema,
]);

export type FloatDistribution = z.infer<typeof FloatDistributionSchema>;
export type IntDistribution = z.infer<typeof IntDistributionSchema>;
export type CategoricalDistribution = z.infer<typeof CategoricalDistributionSchema>;
export type Distribution = z.infer<typeof DistributionSchema>;

/** A float distribution with Optuna's defaults (suggest_float): linear scale, continuous unless `step` is given. */
export function floatDistribution(
  low: number,
  high: number,
  options: { readonly log?: boolean; readonly step?: number | null } = {},
): FloatDistribution {
  return { kind: 'float', low, high, log: options.log ?? false, step: options.step ?? null };
}

/** An int distribution with Optuna's defaults (suggest_int): linear scale, step 1. */
export function intDistribution(
  low: number,
  high: number,
  options: { readonly log?: boolean; readonly step?: number } = {},
): IntDistribution {
  return { kind: 'int', low, high, log: options.log ?? false, step: options.step ?? 1 };
}

/** A search space: parameter name -> distribution, declared per model kind. */
export type SearchSpace = Readonly<Record<string, Distribution>>;

/** The value a parameter takes in a trial (external representation: the choice itself for categoricals). */
export type ParamValue = number | Choice;
