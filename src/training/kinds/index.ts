// Model kinds a study can train: which exist, how a trial samples one, and how it is trained.
import { ConfigError } from '../../core/errors.js';
import { isRuleName, RULE_NAMES, RULE_STRATEGIES } from '../../models/index.js';
import { type PpoBudget, suggestPpo, trainPpoKind } from './ppo-kind.js';
import { RULE_SEARCH } from './rule-kinds.js';
import type { ParamSuggester } from './suggester.js';
import type { TrainedModel, TrainingContext } from './trained-model.js';

export type { PpoBudget } from './ppo-kind.js';
export type { ParamSuggester } from './suggester.js';
export type { TrainedModel, TrainingContext } from './trained-model.js';

/** Every trainable kind: the rule strategies and PPO. `any` lets each trial sample one. */
export const MODEL_KINDS = [...RULE_NAMES, 'ppo'] as const;
export type KindName = (typeof MODEL_KINDS)[number];
export type KindOption = KindName | 'any';

export function parseKindOption(value: string): KindOption {
  if (value === 'any' || (MODEL_KINDS as readonly string[]).includes(value)) return value as KindOption;
  throw new ConfigError(
    'KIND_UNKNOWN',
    `--kind must be one of ${[...MODEL_KINDS, 'any'].join(', ')}, was "${value}"`,
    {
      value,
    },
  );
}

/** Trains the model whose hyperparameters were sampled (see {@link sampleModel}). */
export type ModelTrainer = (ctx: TrainingContext) => TrainedModel;

/**
 * Samples the trial's kind (when `any`) and hyperparameters through `trial`, and returns how to train
 * that model: the parameters are known (and can be stored) before training starts. Rules need no
 * training; PPO trains on the training window only.
 */
export function sampleModel(option: KindOption, trial: ParamSuggester, budget: PpoBudget): ModelTrainer {
  const kind: KindName = option === 'any' ? trial.suggestCategorical('kind', [...MODEL_KINDS]) : option;
  if (kind === 'ppo') {
    const { params, lookback } = suggestPpo(trial, budget);
    return (ctx) => trainPpoKind(ctx, params, lookback);
  }
  if (!isRuleName(kind)) throw new ConfigError('KIND_UNKNOWN', `unknown model kind "${kind}"`);
  const params = RULE_SEARCH[kind](trial);
  const strategy = RULE_STRATEGIES[kind];
  const resolved = strategy.params.parse(params);
  return (ctx) => ({
    policy: strategy.create(ctx.market.symbols, ctx.market.timeframeMs, resolved),
    kind: 'rule',
    strategy: kind,
    features: [],
    lookback: 0,
    observationSize: 0,
    normalisation: null,
    network: null,
    params: resolved,
  });
}

/** Samples and trains in one go (see {@link sampleModel}). */
export function sampleAndTrain(
  option: KindOption,
  trial: ParamSuggester,
  ctx: TrainingContext,
  budget: PpoBudget,
): TrainedModel {
  return sampleModel(option, trial, budget)(ctx);
}
