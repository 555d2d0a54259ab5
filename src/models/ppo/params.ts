// PPO hyperparameters: one zod schema with every knob, its default and its range; all of them reach the agent.
import { z } from 'zod';
import { parseConfig } from '../../core/schema-issues.js';

/**
 * Every PPO hyperparameter, with its default. Defaults are sized so that one trial on a year of hourly bars
 * of 7 assets trains in a few seconds on one core (see docs/ppo.md for what each knob does). The
 * observation (features, lookback) is not here: it is the `ObservationSpec` given to `trainPpo`.
 */
export const PpoParamsSchema = z.strictObject({
  /** Adam step size. */
  learningRate: z.number().gt(0).max(1).default(3e-4),
  /** Adam's epsilon (denominator floor); also what keeps the update from being exactly scale-free. */
  adamEpsilon: z.number().gt(0).max(1).default(1e-5),
  /** Discount per bar. */
  gamma: z.number().gt(0).max(1).default(0.99),
  /** GAE(lambda) bias/variance trade-off: 0 = one-step TD, 1 = Monte Carlo. */
  gaeLambda: z.number().min(0).max(1).default(0.95),
  /** Surrogate clip: the probability ratio is clipped to [1 - clipRange, 1 + clipRange]. */
  clipRange: z.number().gt(0).max(10).default(0.2),
  /** Value clip around the rollout's value estimate, in (scaled) reward units; 0 = unclipped value loss. */
  valueClipRange: z.number().min(0).default(0),
  /** Weight of the entropy bonus (Gaussian entropy of the logit distribution). */
  entropyCoef: z.number().min(0).default(0.001),
  /** Weight of the value loss in the joint loss. */
  valueCoef: z.number().gt(0).default(0.5),
  /** Passes over each rollout. */
  epochs: z.int().min(1).max(100).default(4),
  /** Samples per gradient step (the last minibatch of an epoch may be smaller). */
  minibatchSize: z.int().min(1).max(65_536).default(128),
  /** Environment steps collected between updates. */
  rolloutSteps: z.int().min(2).max(1_000_000).default(1024),
  /** Environment steps of the whole training run (the last rollout is shortened to land on it exactly). */
  totalSteps: z.int().min(1).max(100_000_000).default(16_384),
  /** Units of each hidden layer of actor and critic. */
  hiddenSize: z.int().min(1).max(4096).default(64),
  /** Hidden (tanh) layers of actor and critic. */
  hiddenLayers: z.int().min(0).max(8).default(2),
  /** Initial log standard deviation of the Gaussian over the logits (state-independent, learned). */
  logStdInit: z.number().min(-10).max(5).default(-0.5),
  /** Global L2 norm the whole gradient (actor, log-std, critic) is clipped to before each Adam step. */
  maxGradNorm: z.number().gt(0).default(0.5),
  /** Normalise advantages to zero mean and unit std within each minibatch. */
  normaliseAdvantages: z.boolean().default(true),
  /** Multiplies the reward (1 = log return per bar; 100 = percent). Sets the scale the critic fits. */
  rewardScale: z.number().gt(0).default(100),
  /** Reward penalty per unit of current drawdown fraction (1 - equity / running peak equity). */
  drawdownPenalty: z.number().min(0).default(0),
  /** Reward penalty per unit of turnover (notional traded this bar / equity before trading). */
  turnoverPenalty: z.number().min(0).default(0),
});

/** Resolved PPO hyperparameters (every field present). */
export type PpoParams = z.infer<typeof PpoParamsSchema>;
/** PPO hyperparameters as given: every field optional. */
export type PpoParamsInput = z.input<typeof PpoParamsSchema>;

/** Names of every PPO hyperparameter, in schema order. */
export const PPO_PARAM_NAMES = Object.freeze(Object.keys(PpoParamsSchema.shape) as (keyof PpoParams)[]);

/** Fills defaults and validates; throws ConfigError naming each bad field, what it expected and what it got. */
export function resolvePpoParams(input: PpoParamsInput = {}): Readonly<PpoParams> {
  return Object.freeze(
    parseConfig(PpoParamsSchema, input, 'PPO_PARAMS_INVALID', 'invalid PPO hyperparameters'),
  );
}
