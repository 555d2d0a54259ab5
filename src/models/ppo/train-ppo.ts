// trainPpo: the PPO training loop (rollout, GAE, epochs of shuffled minibatches, Adam) on the shared simulator.
import { ConfigError, ModelError } from '../../core/errors.js';
import { RandomStream } from '../../core/random.js';
import type { FeatureStore, Normalisation, ObservationSpec } from '../../features/index.js';
import type { MarketData } from '../../market/market-data.js';
import { resolveSimConfig, type SimConfig } from '../../sim/index.js';
import type { Mlp } from '../mlp.js';
import { Adam, clipGradNorm } from './adam.js';
import { computeGae } from './gae.js';
import { type PpoParams, type PpoParamsInput, resolvePpoParams } from './params.js';
import { createLossScratch, createLossTerms, createMinibatch, type LossTerms, ppoLoss } from './ppo-loss.js';
import { cloneMlp, createPpoModel, type PpoModel, ppoModelShape } from './ppo-model.js';
import { collectRollout, createRolloutState, currentValue } from './rollout.js';
import { createRolloutBuffer, gatherMinibatch } from './rollout-buffer.js';
import { TradingEnv } from './trading-env.js';

/** What `trainPpo` trains on and how. */
export interface TrainPpoOptions {
  readonly market: MarketData;
  /** Training frames [from, to): the env never reads a bar at or after `to`. */
  readonly from: number;
  readonly to: number;
  readonly spec: ObservationSpec;
  /** Fitted on the training range only. */
  readonly norm: Normalisation;
  /** Hyperparameters; missing ones take their defaults. */
  readonly params?: PpoParamsInput;
  /** Simulator configuration of the environment; default `resolveSimConfig()`. */
  readonly simConfig?: Readonly<SimConfig>;
  /** Seeds the weights, the action noise and the minibatch order: same seed and data, same weights. */
  readonly seed: number;
  /** A feature store of `market` with the spec's features, to share one across trials. */
  readonly store?: FeatureStore;
  /** Called after each update with the progress so far. */
  readonly onProgress?: (progress: PpoProgress) => void;
  /** Asked before each rollout and each epoch; true ends training early (the weights so far are returned). */
  readonly shouldStop?: () => boolean;
  /**
   * Weights to continue from (a previous `trainPpo` result of the same shape) instead of a fresh
   * initialisation: a walk-forward trains one agent stage by stage. The optimiser starts afresh.
   */
  readonly initial?: Pick<PpoTrainResult, 'actor' | 'critic' | 'logStd'>;
}

/** Means over one update (one rollout and its epochs). */
export interface PpoIterationStats {
  readonly iteration: number;
  /** Env steps done so far, this rollout included. */
  readonly steps: number;
  readonly meanReward: number;
  readonly meanLogReturn: number;
  readonly policyLoss: number;
  readonly valueLoss: number;
  readonly entropy: number;
  readonly approxKl: number;
  readonly clipFraction: number;
  /** Mean global gradient norm before clipping. */
  readonly gradNorm: number;
  /** 1 - Var(returns - values) / Var(returns) over the rollout. */
  readonly explainedVariance: number;
}

export interface PpoProgress extends PpoIterationStats {
  readonly totalSteps: number;
  readonly iterations: number;
}

export interface PpoTrainStats {
  /** Env steps taken. */
  readonly steps: number;
  readonly iterations: number;
  /** Adam steps. */
  readonly updates: number;
  /** Episodes finished. */
  readonly episodes: number;
  /** Training ended by `shouldStop`. */
  readonly stopped: boolean;
  /** One entry per update, oldest first. */
  readonly history: readonly PpoIterationStats[];
}

/** A trained agent. `actor` is a plain Mlp for `createMlpPolicy` (deterministic: softmax of the mean). */
export interface PpoTrainResult {
  readonly actor: Mlp;
  readonly critic: Mlp;
  readonly logStd: Float64Array;
  readonly params: Readonly<PpoParams>;
  readonly stats: PpoTrainStats;
}

function explainedVariance(returns: Float64Array, values: Float64Array, count: number): number {
  let mr = 0;
  let me = 0;
  for (let k = 0; k < count; k++) {
    mr += returns[k]!;
    me += returns[k]! - values[k]!;
  }
  mr /= count;
  me /= count;
  let vr = 0;
  let ve = 0;
  for (let k = 0; k < count; k++) {
    vr += (returns[k]! - mr) ** 2;
    ve += (returns[k]! - values[k]! - me) ** 2;
  }
  return vr > 0 ? 1 - ve / vr : 0;
}

function shuffle(order: Int32Array, count: number, rng: RandomStream): void {
  for (let k = 0; k < count; k++) order[k] = k;
  for (let k = count - 1; k > 0; k--) {
    const j = Math.floor(rng.uniform() * (k + 1));
    const tmp = order[k]!;
    order[k] = order[j]!;
    order[j] = tmp;
  }
}

/**
 * Trains a PPO agent on frames [from, to) of `market` through `TradingEnv` (one Simulator). Seeded and
 * deterministic: the same options give bit-identical weights. Pure apart from the callbacks. Throws
 * ConfigError for invalid params or range, ModelError for a spec that does not fit the market or a
 * gradient that became non-finite.
 */
export function trainPpo(options: TrainPpoOptions): PpoTrainResult {
  const params = resolvePpoParams(options.params);
  const env = new TradingEnv({
    market: options.market,
    from: options.from,
    to: options.to,
    spec: options.spec,
    norm: options.norm,
    simConfig: options.simConfig ?? resolveSimConfig(),
    drawdownPenalty: params.drawdownPenalty,
    turnoverPenalty: params.turnoverPenalty,
    ...(options.store ? { store: options.store } : {}),
  });
  const init = new RandomStream(options.seed, 'ppo:init');
  const model = createPpoModel(ppoModelShape(env, params), () => init.uniform());
  if (options.initial) copyWeights(model, options.initial);
  const rolloutSize = Math.min(params.rolloutSteps, params.totalSteps);
  const buffer = createRolloutBuffer(rolloutSize, env.observationSize, model.logStd.length);
  const rollout = createRolloutState(
    env,
    model,
    buffer,
    new RandomStream(options.seed, 'ppo:actions'),
    params.gamma,
    params.rewardScale,
  );
  const shuffler = new RandomStream(options.seed, 'ppo:minibatches');
  const mbSize = Math.min(params.minibatchSize, rolloutSize);
  const mb = createMinibatch(mbSize, env.observationSize, model.logStd.length);
  const scratch = createLossScratch(model, mbSize);
  const terms = createLossTerms();
  const adam = new Adam(model.params.length, params.learningRate, params.adamEpsilon);
  const order = new Int32Array(rolloutSize);
  const iterations = Math.ceil(params.totalSteps / rolloutSize);
  const history: PpoIterationStats[] = [];
  let steps = 0;
  let episodes = 0;
  let stopped = false;

  for (let it = 0; it < iterations; it++) {
    if (options.shouldStop?.()) {
      stopped = true;
      break;
    }
    const summary = collectRollout(rollout, Math.min(rolloutSize, params.totalSteps - steps));
    steps += summary.steps;
    episodes += summary.episodes;
    const count = buffer.count;
    const lastValue = rollout.needsReset ? 0 : currentValue(rollout);
    computeGae(
      buffer.rewards,
      buffer.values,
      buffer.dones,
      lastValue,
      count,
      params.gamma,
      params.gaeLambda,
      buffer.advantages,
      buffer.returns,
    );
    const sums = { policyLoss: 0, valueLoss: 0, entropy: 0, approxKl: 0, clipFraction: 0, gradNorm: 0 };
    let updates = 0;
    for (let epoch = 0; epoch < params.epochs; epoch++) {
      // Between epochs too: one update of a large rollout can take seconds.
      if (epoch > 0 && options.shouldStop?.()) {
        stopped = true;
        break;
      }
      shuffle(order, count, shuffler);
      for (let first = 0; first < count; first += mbSize) {
        gatherMinibatch(buffer, order, first, Math.min(mbSize, count - first), mb);
        ppoLoss(model, mb, params, scratch, terms);
        const norm = clipGradNorm(model.grads, params.maxGradNorm);
        if (!Number.isFinite(norm) || !Number.isFinite(terms.total)) throw diverged(it, terms, norm);
        adam.step(model.params, model.grads);
        accumulate(sums, terms, norm);
        updates++;
      }
    }
    const stats: PpoIterationStats = {
      iteration: it,
      steps,
      meanReward: summary.meanReward,
      meanLogReturn: summary.meanLogReturn,
      policyLoss: sums.policyLoss / updates,
      valueLoss: sums.valueLoss / updates,
      entropy: sums.entropy / updates,
      approxKl: sums.approxKl / updates,
      clipFraction: sums.clipFraction / updates,
      gradNorm: sums.gradNorm / updates,
      explainedVariance: explainedVariance(buffer.returns, buffer.values, count),
    };
    history.push(stats);
    options.onProgress?.({ ...stats, totalSteps: params.totalSteps, iterations });
    if (stopped) break;
  }
  return {
    actor: cloneMlp(model.actor),
    critic: cloneMlp(model.critic),
    logStd: model.logStd.slice(),
    params,
    stats: { steps, iterations: history.length, updates: adam.steps, episodes, stopped, history },
  };
}

/** Copies `from`'s weights into `model`; a ConfigError when the shapes differ. */
function copyWeights(model: PpoModel, from: Pick<PpoTrainResult, 'actor' | 'critic' | 'logStd'>): void {
  const pairs: [Float64Array, Float64Array][] = [[model.logStd, from.logStd]];
  const nets: [Mlp, Mlp][] = [
    [model.actor, from.actor],
    [model.critic, from.critic],
  ];
  for (const [to, source] of nets) {
    if (to.layers.length !== source.layers.length) throw shapeMismatch();
    to.layers.forEach((l, k) => {
      pairs.push([l.weights, source.layers[k]!.weights], [l.bias, source.layers[k]!.bias]);
    });
  }
  for (const [to, source] of pairs) {
    if (to.length !== source.length) throw shapeMismatch();
    to.set(source);
  }
}

function shapeMismatch(): ConfigError {
  return new ConfigError(
    'PPO_INITIAL_SHAPE',
    'PPO initial weights do not have the shape of the model being trained (observation size, hidden layers or symbols differ)',
  );
}

function accumulate(
  sums: Record<'policyLoss' | 'valueLoss' | 'entropy' | 'approxKl' | 'clipFraction' | 'gradNorm', number>,
  terms: LossTerms,
  norm: number,
): void {
  sums.policyLoss += terms.policyLoss;
  sums.valueLoss += terms.valueLoss;
  sums.entropy += terms.entropy;
  sums.approxKl += terms.approxKl;
  sums.clipFraction += terms.clipFraction;
  sums.gradNorm += norm;
}

function diverged(iteration: number, terms: LossTerms, norm: number): ModelError {
  return new ModelError(
    'PPO_DIVERGED',
    `PPO training diverged in iteration ${iteration}: loss ${terms.total}, gradient norm ${norm} (try a lower learningRate or rewardScale)`,
    { iteration, loss: terms.total, gradNorm: norm },
  );
}
