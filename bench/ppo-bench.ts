// PPO throughput: Float64Array kernels per minibatch, env steps through the simulator, a default training run.

import { RandomStream } from '../src/core/random.js';
import {
  createFeatureStore,
  FEATURE_NAMES,
  fitNormalisation,
  type ObservationSpec,
  updateFeatures,
} from '../src/features/index.js';
import type { MarketData } from '../src/market/market-data.js';
import {
  Adam,
  backwardBatch,
  clipGradNorm,
  collectRollout,
  createBatchScratch,
  createLossScratch,
  createLossTerms,
  createMinibatch,
  createPpoModel,
  createRolloutBuffer,
  createRolloutState,
  forwardBatch,
  type LossCoefficients,
  type PpoModel,
  ppoLoss,
  ppoModelShape,
  resolvePpoParams,
  TradingEnv,
  trainPpo,
} from '../src/models/ppo/index.js';
import { resolveSimConfig } from '../src/sim/index.js';
import { measure } from './measure.js';
import type { BenchFigure } from './sim-bench.js';

/** (observation size, batch): lookback 1 and 4 of 12 features x 7 assets, a wide 500; 128 is the default batch. */
const KERNEL_SIZES: readonly (readonly [number, number])[] = [
  [92, 64],
  [92, 128],
  [92, 256],
  [344, 64],
  [344, 256],
  [500, 256],
];
const LOGITS = 8;

function kernelModel(obs: number): PpoModel {
  const rng = new RandomStream(1, 'bench:ppo-kernels');
  return createPpoModel(
    { observationSize: obs, logits: LOGITS, hiddenSize: 64, hiddenLayers: 2, logStdInit: -0.5 },
    () => rng.uniform(),
  );
}

/** One dense step: actor 2 x 64 tanh forward, MSE-style backward, Adam: what a tensor library would do. */
function denseStepMs(obs: number, batch: number): number {
  const model = kernelModel(obs);
  const rng = new RandomStream(2, 'bench:ppo-kernels:x');
  const x = new Float64Array(batch * obs);
  rng.fillNormal(x);
  const scratch = createBatchScratch(model.actor, batch);
  const adam = new Adam(model.params.length, 3e-4, 1e-5);
  const step = () => {
    model.grads.fill(0);
    const y = forwardBatch(model.actor, x, batch, scratch);
    for (let k = 0; k < batch * LOGITS; k++) scratch.outGrad[k] = (2 * y[k]!) / (batch * LOGITS);
    backwardBatch(model.actor, model.actorGrad, x, batch, scratch);
    adam.step(model.params, model.grads);
  };
  return measure(step, { warmup: 20, minRuns: 50, minSeconds: 0.3 }).seconds * 1000;
}

/** One full PPO minibatch update: actor + log-std + critic, clipped loss, gradient clip, Adam. */
function ppoStepMs(obs: number, batch: number): number {
  const model = kernelModel(obs);
  const rng = new RandomStream(3, 'bench:ppo-kernels:mb');
  const mb = createMinibatch(batch, obs, LOGITS);
  mb.size = batch;
  rng.fillNormal(mb.observations);
  rng.fillNormal(mb.actions);
  rng.fillNormal(mb.advantages);
  rng.fillNormal(mb.returns);
  mb.oldLogProbs.fill(-8);
  const scratch = createLossScratch(model, batch);
  const terms = createLossTerms();
  const coefs: LossCoefficients = resolvePpoParams();
  const adam = new Adam(model.params.length, 3e-4, 1e-5);
  const step = () => {
    ppoLoss(model, mb, coefs, scratch, terms);
    clipGradNorm(model.grads, 0.5);
    adam.step(model.params, model.grads);
  };
  return measure(step, { warmup: 20, minRuns: 50, minSeconds: 0.3 }).seconds * 1000;
}

/** Kernel figures, env throughput and a default training run on `market` (one year of hourly 7-asset bars). */
export function ppoBenchmarks(market: MarketData): BenchFigure[] {
  const figures: BenchFigure[] = [];
  for (const [obs, batch] of KERNEL_SIZES) {
    figures.push({
      name: `PPO kernels: dense 2x64 fwd+bwd+Adam, obs ${obs}, batch ${batch}`,
      value: denseStepMs(obs, batch),
      unit: 'ms',
      note: 'own Float64Array kernels',
    });
    figures.push({
      name: `PPO kernels: full minibatch update, obs ${obs}, batch ${batch}`,
      value: ppoStepMs(obs, batch),
      unit: 'ms',
      note: 'actor + log-std + critic, loss, clip, Adam',
    });
  }

  const spec: ObservationSpec = { symbols: market.symbols, features: FEATURE_NAMES, lookback: 1 };
  const store = createFeatureStore(market, spec.features, market.length);
  updateFeatures(store, market);
  const norm = fitNormalisation(store, 0, market.length);
  const simConfig = resolveSimConfig();
  const params = resolvePpoParams();
  const env = new TradingEnv({ market, from: 0, to: market.length, spec, norm, simConfig, store });
  const rng = new RandomStream(4, 'bench:ppo-env');
  const model = createPpoModel(ppoModelShape(env, params), () => rng.uniform());
  const steps = 4096;
  const buffer = createRolloutBuffer(steps, env.observationSize, model.logStd.length);
  const state = createRolloutState(env, model, buffer, rng, params.gamma, params.rewardScale);
  const rollout = measure(() => collectRollout(state, steps), { warmup: 1, minRuns: 3, minSeconds: 1 });
  figures.push({
    name: `PPO env steps, ${market.symbols.length} assets, obs ${env.observationSize}, actor+critic 2x64`,
    value: steps / rollout.seconds,
    unit: 'steps/s',
    note: 'rollout collection through the simulator: observation, both networks, sampling, trade',
  });

  let trainSteps = 0;
  const trial = measure(
    () => {
      const run = (seed: number) =>
        trainPpo({ market, from: 0, to: market.length, spec, norm, simConfig, seed, store });
      trainSteps = run(1).stats.steps;
    },
    { warmup: 1, minRuns: 1, minSeconds: 0 },
  );
  figures.push(
    {
      name: 'PPO training steps, default params',
      value: trainSteps / trial.seconds,
      unit: 'steps/s',
      note: `rollouts of ${params.rolloutSteps}, ${params.epochs} epochs of minibatches of ${params.minibatchSize}`,
    },
    {
      name: `PPO trial-equivalent: ${params.totalSteps} steps on ${market.length} h x ${market.symbols.length} assets`,
      value: trial.seconds * 1000,
      unit: 'ms',
      note: 'default params, features precomputed, no validation',
    },
  );
  return figures;
}
