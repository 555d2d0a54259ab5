// GAE(lambda) against hand-computed values, episode ends and the lambda = 1 Monte Carlo case.
import { describe, expect, it } from 'vitest';
import { computeGae } from './gae.js';

function gae(
  rewards: number[],
  values: number[],
  dones: number[],
  last: number,
  gamma: number,
  lambda: number,
) {
  const n = rewards.length;
  const adv = new Float64Array(n);
  const ret = new Float64Array(n);
  computeGae(
    Float64Array.from(rewards),
    Float64Array.from(values),
    Uint8Array.from(dones),
    last,
    n,
    gamma,
    lambda,
    adv,
    ret,
  );
  return { adv: [...adv], ret: [...ret] };
}

describe('computeGae', () => {
  it('matches a hand computation over three steps with a bootstrap value', () => {
    // delta_2 = 1 + 0.9 x 4 - 3 = 1.6; delta_1 = 0 + 0.9 x 3 - 2 = 0.7; delta_0 = 2 + 0.9 x 2 - 1 = 2.8
    // A_2 = 1.6; A_1 = 0.7 + 0.45 x 1.6 = 1.42; A_0 = 2.8 + 0.45 x 1.42 = 3.439
    const { adv, ret } = gae([2, 0, 1], [1, 2, 3], [0, 0, 0], 4, 0.9, 0.5);
    expect(adv[2]).toBeCloseTo(1.6, 12);
    expect(adv[1]).toBeCloseTo(1.42, 12);
    expect(adv[0]).toBeCloseTo(3.439, 12);
    expect(ret).toEqual([adv[0]! + 1, adv[1]! + 2, adv[2]! + 3]);
  });

  it('does not bootstrap across an episode end, nor from lastValue after a final done', () => {
    const { adv } = gae([1, 1, 1], [0.5, 0.5, 0.5], [0, 1, 1], 100, 0.9, 0.5);
    expect(adv[2]).toBeCloseTo(0.5, 12);
    expect(adv[1]).toBeCloseTo(0.5, 12);
    // A_0 = (1 + 0.9 x 0.5 - 0.5) + 0.45 x 0.5
    expect(adv[0]).toBeCloseTo(0.95 + 0.225, 12);
  });

  it('with lambda = 1 gives discounted returns minus values (Monte Carlo)', () => {
    const rewards = [0.3, -0.2, 0.5, 0.1];
    const values = [0.2, 0.1, -0.3, 0.4];
    const gamma = 0.95;
    const { adv, ret } = gae(rewards, values, [0, 0, 0, 0], 0.7, gamma, 1);
    let g = 0.7;
    for (let k = 3; k >= 0; k--) {
      g = rewards[k]! + gamma * g;
      expect(ret[k]).toBeCloseTo(g, 12);
      expect(adv[k]).toBeCloseTo(g - values[k]!, 12);
    }
  });
});
