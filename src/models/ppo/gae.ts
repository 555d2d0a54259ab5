// Generalised advantage estimation, GAE(lambda), over one rollout.

/**
 * Writes advantages and returns (advantage + value, the critic's target) for steps [0, count) of a
 * rollout. `dones[k] = 1` when step k ended its episode: nothing is bootstrapped across it (a time-limit
 * end is handled by the caller adding gamma x V(final observation) to that step's reward).
 * `lastValue` is V of the observation after the last step (ignored when that step is done):
 *   delta_k = r_k + gamma (1 - done_k) V_{k+1} - V_k,  A_k = delta_k + gamma lambda (1 - done_k) A_{k+1}.
 */
export function computeGae(
  rewards: Float64Array,
  values: Float64Array,
  dones: Uint8Array,
  lastValue: number,
  count: number,
  gamma: number,
  lambda: number,
  advantages: Float64Array,
  returns: Float64Array,
): void {
  let next = 0;
  let nextValue = lastValue;
  for (let k = count - 1; k >= 0; k--) {
    const live = dones[k] === 1 ? 0 : 1;
    const delta = rewards[k]! + gamma * live * nextValue - values[k]!;
    next = delta + gamma * lambda * live * next;
    advantages[k] = next;
    returns[k] = next + values[k]!;
    nextValue = values[k]!;
  }
}
