// The PPO kind: its search space and training on the walk-forward training range only.
import {
  createFeatureStore,
  FEATURE_NAMES,
  fitNormalisation,
  observationSize,
  updateFeatures,
} from '../../features/index.js';
import { createMlpPolicy } from '../../models/index.js';
import { type PpoParamsInput, trainPpo } from '../../models/ppo/index.js';
import type { ParamSuggester } from './suggester.js';
import type { TrainedModel, TrainingContext } from './trained-model.js';

/** Study-level PPO settings that are budgets, not hyperparameters to search. */
export interface PpoBudget {
  /** Environment steps per trial. */
  readonly totalSteps: number;
}

/** Samples every searched PPO hyperparameter (the rest keep their defaults, see PpoParamsSchema). */
export function suggestPpo(
  trial: ParamSuggester,
  budget: PpoBudget,
): { params: PpoParamsInput; lookback: number } {
  const params: PpoParamsInput = {
    learningRate: trial.suggestFloat('learningRate', 1e-5, 3e-3, { log: true }),
    gamma: trial.suggestFloat('gamma', 0.9, 0.999),
    gaeLambda: trial.suggestFloat('gaeLambda', 0.8, 1),
    clipRange: trial.suggestFloat('clipRange', 0.1, 0.3),
    entropyCoef: trial.suggestFloat('entropyCoef', 1e-5, 0.05, { log: true }),
    valueCoef: trial.suggestFloat('valueCoef', 0.25, 1),
    epochs: trial.suggestInt('epochs', 2, 8),
    minibatchSize: trial.suggestCategorical('minibatchSize', [64, 128, 256]),
    rolloutSteps: trial.suggestCategorical('rolloutSteps', [512, 1024, 2048]),
    hiddenSize: trial.suggestCategorical('hiddenSize', [32, 64]),
    hiddenLayers: trial.suggestInt('hiddenLayers', 1, 2),
    logStdInit: trial.suggestFloat('logStdInit', -1.5, 0),
    maxGradNorm: trial.suggestFloat('maxGradNorm', 0.3, 1),
    drawdownPenalty: trial.suggestFloat('drawdownPenalty', 0, 1),
    turnoverPenalty: trial.suggestFloat('turnoverPenalty', 0, 0.5),
    totalSteps: budget.totalSteps,
  };
  return { params, lookback: trial.suggestInt('lookback', 1, 4) };
}

/**
 * Trains on `ctx.windows.train` only: the normalisation is fitted there and the environment never reads
 * a bar after it. The policy acts on the mean action (deterministic).
 */
export function trainPpoKind(ctx: TrainingContext, params: PpoParamsInput, lookback: number): TrainedModel {
  const { market, windows } = ctx;
  const spec = { symbols: market.symbols, features: FEATURE_NAMES, lookback };
  const store = createFeatureStore(market, spec.features, market.length);
  updateFeatures(store, market);
  const norm = fitNormalisation(store, windows.train.from, windows.train.to);
  const result = trainPpo({
    market,
    from: windows.train.from,
    to: windows.train.to,
    spec,
    norm,
    params,
    simConfig: ctx.simConfig,
    seed: ctx.seed,
    store,
    shouldStop: ctx.shouldStop,
  });
  return {
    policy: createMlpPolicy('ppo', spec, norm, result.actor),
    kind: 'ppo',
    strategy: null,
    features: [...spec.features],
    lookback,
    observationSize: observationSize(spec),
    normalisation: norm,
    network: result.actor,
    params: { ...result.params, lookback },
  };
}
