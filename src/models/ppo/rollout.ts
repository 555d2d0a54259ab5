// Rollout collection: the actor samples Gaussian logits, their softmax trades through the TradingEnv.
import type { RandomStream } from '../../core/random.js';
import { createMlpScratch, mlpForward, softmaxCashFirst } from '../mlp.js';
import type { PpoModel } from './ppo-model.js';
import type { RolloutBuffer } from './rollout-buffer.js';
import type { TradingEnv } from './trading-env.js';

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** Everything a rollout needs, allocated once per training run. */
export interface RolloutState {
  readonly env: TradingEnv;
  readonly model: PpoModel;
  readonly buffer: RolloutBuffer;
  /** Draws the Gaussian noise of the actions. */
  readonly rng: RandomStream;
  readonly gamma: number;
  readonly rewardScale: number;
  /** The env must be reset before the next step (fresh run, or the last episode ended). */
  needsReset: boolean;
  /** `mlpForward` scratch of the actor and of the critic: one observation at a time. */
  readonly actorScratch: Float64Array[];
  readonly criticScratch: Float64Array[];
  readonly noise: Float64Array;
  readonly logits: Float64Array;
  readonly allocation: Float64Array;
  readonly targets: Float64Array;
}

/** What one rollout saw. */
export interface RolloutSummary {
  steps: number;
  /** Episodes that ended in this rollout. */
  episodes: number;
  /** Mean per-bar log return of equity (net of costs, before penalties and scaling). */
  meanLogReturn: number;
  /** Mean scaled reward, penalties included. */
  meanReward: number;
}

/** A rollout state over `env` for `model`, writing into `buffer`, sampling from `rng`. */
export function createRolloutState(
  env: TradingEnv,
  model: PpoModel,
  buffer: RolloutBuffer,
  rng: RandomStream,
  gamma: number,
  rewardScale: number,
): RolloutState {
  const na = model.logStd.length;
  return {
    env,
    model,
    buffer,
    rng,
    gamma,
    rewardScale,
    needsReset: true,
    actorScratch: createMlpScratch(model.actor),
    criticScratch: createMlpScratch(model.critic),
    noise: new Float64Array(na),
    logits: new Float64Array(na),
    allocation: new Float64Array(na),
    targets: new Float64Array(env.actionSize),
  };
}

/** The critic's value of the env's current observation. */
export function currentValue(s: RolloutState): number {
  return mlpForward(s.model.critic, s.env.observation, s.criticScratch)[0]!;
}

/**
 * Collects `steps` steps into the buffer (from row 0), continuing the current episode across calls.
 * Each step: logits ~ N(actor(obs), exp(logStd)^2), target weights = softmax(logits) without the cash
 * entry, one env step. A time-limit end adds gamma x V(final observation) to the last reward, so GAE
 * may treat every episode end as terminal.
 */
export function collectRollout(s: RolloutState, steps: number): RolloutSummary {
  const { env, model, buffer, noise, logits, allocation, targets } = s;
  const obsSize = env.observationSize;
  const na = noise.length;
  const logStd = model.logStd;
  let episodes = 0;
  let logReturns = 0;
  let rewards = 0;
  for (let k = 0; k < steps; k++) {
    if (s.needsReset) {
      env.reset();
      s.needsReset = false;
    }
    const obs = env.observation;
    buffer.observations.set(obs, k * obsSize);
    // The deployed policy's own forward (createMlpPolicy): the same numbers in training and inference.
    const mu = mlpForward(model.actor, obs, s.actorScratch);
    buffer.values[k] = currentValue(s);
    s.rng.fillNormal(noise);
    let logp = 0;
    const row = k * na;
    for (let j = 0; j < na; j++) {
      const z = noise[j]!;
      const a = mu[j]! + Math.exp(logStd[j]!) * z;
      buffer.actions[row + j] = a;
      logits[j] = a;
      logp -= 0.5 * z * z + logStd[j]! + HALF_LOG_2PI;
    }
    buffer.logProbs[k] = logp;
    softmaxCashFirst(logits, allocation, targets);
    const r = env.step(targets);
    let reward = s.rewardScale * r.reward;
    logReturns += r.logReturn;
    rewards += reward;
    if (r.done) {
      episodes++;
      s.needsReset = true;
      if (r.truncated) reward += s.gamma * currentValue(s);
    }
    buffer.rewards[k] = reward;
    buffer.dones[k] = r.done ? 1 : 0;
  }
  buffer.count = steps;
  return {
    steps,
    episodes,
    meanLogReturn: steps > 0 ? logReturns / steps : 0,
    meanReward: steps > 0 ? rewards / steps : 0,
  };
}
