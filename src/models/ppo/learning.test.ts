// End to end: on a market where one asset rises and one falls, PPO learns to hold the riser.
import { describe, expect, it } from 'vitest';
import { RandomStream } from '../../core/random.js';
import { createFeatureStore, fitNormalisation, updateFeatures } from '../../features/index.js';
import { flatCandles, toMarketDataUnchecked } from '../../features/test-fixtures.js';
import { resolveSimConfig, runSimulation } from '../../sim/index.js';
import { createMlpPolicy } from '../mlp-policy.js';
import { trainPpo } from './train-ppo.js';

const BARS = 400;
const rng = new RandomStream(9, 'ppo-learning-test');
const noise = new Float64Array(2 * BARS);
rng.fillNormal(noise);
const up = [100];
const down = [100];
for (let t = 1; t < BARS; t++) {
  up.push(up[t - 1]! * Math.exp(0.004 + 0.002 * noise[2 * t]!));
  down.push(down[t - 1]! * Math.exp(-0.004 + 0.002 * noise[2 * t + 1]!));
}
const market = toMarketDataUnchecked(['UP', 'DOWN'], [flatCandles(up), flatCandles(down)]);
const spec = { symbols: market.symbols, features: ['ret_1'], lookback: 1 };
const store = createFeatureStore(market, spec.features, market.length);
updateFeatures(store, market);
const norm = fitNormalisation(store, 0, 300);
const simConfig = resolveSimConfig({
  feeRate: 0,
  slippageBps: 0,
  maxWeight: 1,
  cashReserve: 0,
  minNotional: 0,
});

describe('PPO learning', () => {
  it('moves the deterministic policy from an even split to the rising asset', () => {
    const { actor } = trainPpo({
      market,
      from: 0,
      to: 300,
      spec,
      norm,
      simConfig,
      seed: 3,
      store,
      params: { totalSteps: 3000, rolloutSteps: 300, hiddenSize: 16, hiddenLayers: 1, learningRate: 3e-3 },
    });
    const run = runSimulation(market, createMlpPolicy('ppo', spec, norm, actor), simConfig, {
      from: 300,
      to: BARS,
    });
    // Invested fraction is what the policy holds; with one asset rising, most of it should be UP.
    const held = run.portfolio.qty[0]! * market.close[(BARS - 1) * 2]!;
    const equity = run.equity[run.equity.length - 1]!;
    expect(held / equity).toBeGreaterThan(0.6);
    expect(equity).toBeGreaterThan(run.equity[0]! * 1.1);
  });
});
