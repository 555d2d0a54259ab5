// Preallocated storage of one PPO rollout: observations, sampled logits, log-probs, values, rewards.
import type { Minibatch } from './ppo-loss.js';

/** One rollout of up to `capacity` steps, row-major per step. `count` is how many rows are filled. */
export interface RolloutBuffer {
  readonly capacity: number;
  readonly observationSize: number;
  readonly actionSize: number;
  count: number;
  /** capacity x observationSize. */
  readonly observations: Float64Array;
  /** The sampled logits (the Gaussian action), capacity x actionSize. */
  readonly actions: Float64Array;
  /** Log-density of each sampled action under the policy that sampled it. */
  readonly logProbs: Float64Array;
  /** Critic's value of each observation at sampling time. */
  readonly values: Float64Array;
  /** Scaled reward of each step (time-limit ends already bootstrapped). */
  readonly rewards: Float64Array;
  /** 1 when the step ended its episode. */
  readonly dones: Uint8Array;
  readonly advantages: Float64Array;
  readonly returns: Float64Array;
}

/** An empty buffer for `capacity` steps. */
export function createRolloutBuffer(
  capacity: number,
  observationSize: number,
  actionSize: number,
): RolloutBuffer {
  return {
    capacity,
    observationSize,
    actionSize,
    count: 0,
    observations: new Float64Array(capacity * observationSize),
    actions: new Float64Array(capacity * actionSize),
    logProbs: new Float64Array(capacity),
    values: new Float64Array(capacity),
    rewards: new Float64Array(capacity),
    dones: new Uint8Array(capacity),
    advantages: new Float64Array(capacity),
    returns: new Float64Array(capacity),
  };
}

/**
 * Copies rows `order[first .. first + size)` of the rollout into `mb` (which must hold `size` rows):
 * observations, actions, old log-probs, advantages, returns and old values.
 */
export function gatherMinibatch(
  buffer: RolloutBuffer,
  order: Int32Array,
  first: number,
  size: number,
  mb: Minibatch,
): void {
  const os = buffer.observationSize;
  const as = buffer.actionSize;
  for (let k = 0; k < size; k++) {
    const row = order[first + k]!;
    mb.observations.set(buffer.observations.subarray(row * os, (row + 1) * os), k * os);
    for (let j = 0; j < as; j++) mb.actions[k * as + j] = buffer.actions[row * as + j]!;
    mb.oldLogProbs[k] = buffer.logProbs[row]!;
    mb.advantages[k] = buffer.advantages[row]!;
    mb.returns[k] = buffer.returns[row]!;
    mb.oldValues[k] = buffer.values[row]!;
  }
  mb.size = size;
}
