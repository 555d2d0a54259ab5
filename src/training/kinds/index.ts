// The `--kind` options of a study: what the model kinds offer to train (models/kinds.ts), or `any`.
import { ConfigError } from '../../core/errors.js';
import type { ParamSuggester, TrainingBudget, TrainingContext, TrialModel } from '../../models/kind.js';
import { TRAINING_OPTIONS } from '../../models/kinds.js';

export type {
  ParamSuggester,
  TrainedModel,
  TrainingBudget,
  TrainingContext,
  TrialModel,
} from '../../models/kind.js';

/** Every `--kind` a study can train, in registry order (the rule strategies, then PPO). */
export const TRAINABLE_KINDS: readonly string[] = TRAINING_OPTIONS.map((o) => o.name);
/** A `--kind`: one of TRAINABLE_KINDS, or `any` (each trial samples one). */
export type KindOption = string;

export function parseKindOption(value: string): KindOption {
  if (value === 'any' || TRAINABLE_KINDS.includes(value)) return value;
  throw new ConfigError(
    'KIND_UNKNOWN',
    `--kind must be one of ${[...TRAINABLE_KINDS, 'any'].join(', ')}, was "${value}"`,
    { value },
  );
}

/** A sampled model: its `--kind` name (the trial's user attribute "kind") and how to train it. */
export interface SampledModel {
  readonly kind: string;
  readonly train: (ctx: TrainingContext) => TrialModel;
}

/**
 * Samples the trial's kind (when `any`: a categorical "kind" over TRAINABLE_KINDS, whose order stored
 * studies depend on) and its hyperparameters through `trial`, and returns how to train that model: the
 * parameters are known (and can be stored) before training starts.
 */
export function sampleModel(option: KindOption, trial: ParamSuggester, budget: TrainingBudget): SampledModel {
  const kind = option === 'any' ? trial.suggestCategorical('kind', [...TRAINABLE_KINDS]) : option;
  const entry = TRAINING_OPTIONS.find((o) => o.name === kind);
  if (!entry) throw new ConfigError('KIND_UNKNOWN', `unknown model kind "${kind}"`, { kind });
  return { kind, train: entry.sample(trial, budget) };
}
