// Public API of the PPO agent: training on the shared simulator, its environment, hyperparameters and kernels.
export { ADAM_BETA1, ADAM_BETA2, Adam, clipGradNorm } from './adam.js';
export { type BatchScratch, backwardBatch, createBatchScratch, forwardBatch } from './dense-batch.js';
export { computeGae } from './gae.js';
export { type GemmInit, gemmABt, transpose } from './matmul.js';
export {
  PPO_PARAM_NAMES,
  type PpoParams,
  type PpoParamsInput,
  PpoParamsSchema,
  resolvePpoParams,
} from './params.js';
export {
  createLossScratch,
  createLossTerms,
  createMinibatch,
  type LossCoefficients,
  type LossScratch,
  type LossTerms,
  type Minibatch,
  ppoLoss,
} from './ppo-loss.js';
export { cloneMlp, createPpoModel, type PpoModel, type PpoModelShape, ppoModelShape } from './ppo-model.js';
export {
  collectRollout,
  createRolloutState,
  currentValue,
  type RolloutState,
  type RolloutSummary,
} from './rollout.js';
export { createRolloutBuffer, gatherMinibatch, type RolloutBuffer } from './rollout-buffer.js';
export { type EnvStep, TradingEnv, type TradingEnvOptions } from './trading-env.js';
export {
  type PpoIterationStats,
  type PpoProgress,
  type PpoTrainResult,
  type PpoTrainStats,
  type TrainPpoOptions,
  trainPpo,
} from './train-ppo.js';
