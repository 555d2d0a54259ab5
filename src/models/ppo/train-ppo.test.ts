// trainPpo: bit-identical for a seed, every hyperparameter changes what is trained, the actor runs as a policy.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/errors.js';
import { resolveSimConfig, runSimulation } from '../../sim/index.js';
import { createMlpPolicy } from '../mlp-policy.js';
import { PPO_PARAM_NAMES, type PpoParams, type PpoParamsInput, PpoParamsSchema } from './params.js';
import { tinyFixture } from './test-fixtures.js';
import { type PpoTrainResult, type TrainPpoOptions, trainPpo } from './train-ppo.js';

const fx = tinyFixture(240);
const simConfig = resolveSimConfig();
/** A tiny run: a few hundred steps through a 1 x 8 network, long enough for every knob to act. */
const TINY: PpoParamsInput = {
  totalSteps: 256,
  rolloutSteps: 64,
  minibatchSize: 32,
  epochs: 2,
  hiddenSize: 8,
  hiddenLayers: 1,
};

/** trainPpo on the fixture's training frames: TINY, seed 5 and the shared store unless `options` say otherwise. */
function trainWith(options: Partial<TrainPpoOptions> = {}): PpoTrainResult {
  return trainPpo({
    market: fx.market,
    from: 0,
    to: fx.trainTo,
    spec: fx.spec,
    norm: fx.norm,
    params: TINY,
    simConfig,
    seed: 5,
    store: fx.store,
    ...options,
  });
}

function train(params: PpoParamsInput = {}, seed = 5): PpoTrainResult {
  return trainWith({ params: { ...TINY, ...params }, seed });
}

/** Every trained number (actor, log-std, critic; with the shapes), in one list. */
function weightsOf(r: PpoTrainResult): number[] {
  return [...actorOf(r), ...r.critic.layers.flatMap((l) => [l.inputs, l.outputs, ...l.weights, ...l.bias])];
}

/** What is deployed: the actor (with its shape) and the log-std. */
function actorOf(r: PpoTrainResult): number[] {
  return [...r.actor.layers.flatMap((l) => [l.inputs, l.outputs, ...l.weights, ...l.bias]), ...r.logStd];
}

/** One changed value per hyperparameter; the Record type makes this list complete. */
const CHANGED: Record<keyof PpoParams, PpoParams[keyof PpoParams]> = {
  learningRate: 1e-3,
  adamEpsilon: 1e-3,
  gamma: 0.9,
  gaeLambda: 0.8,
  clipRange: 0.01,
  valueClipRange: 0.01,
  entropyCoef: 0.1,
  valueCoef: 1,
  epochs: 3,
  minibatchSize: 16,
  rolloutSteps: 128,
  totalSteps: 320,
  hiddenSize: 6,
  hiddenLayers: 2,
  logStdInit: 0,
  maxGradNorm: 0.05,
  normaliseAdvantages: false,
  rewardScale: 1,
  drawdownPenalty: 0.5,
  turnoverPenalty: 0.5,
};

describe('trainPpo determinism', () => {
  const reference = train();

  it('gives bit-identical weights for the same seed and data', () => {
    expect(weightsOf(train())).toEqual(weightsOf(reference));
  });

  it('gives other weights for another seed', () => {
    expect(weightsOf(train({}, 6))).not.toEqual(weightsOf(reference));
  });

  it('changes the trained actor when any one hyperparameter changes (critic-side knobs included)', () => {
    const base = actorOf(reference);
    const same: string[] = [];
    for (const name of PPO_PARAM_NAMES) {
      const value = CHANGED[name];
      expect(value, name).not.toEqual(PpoParamsSchema.parse(TINY)[name]);
      if (JSON.stringify(actorOf(train({ [name]: value }))) === JSON.stringify(base)) same.push(name);
    }
    expect(same).toEqual([]);
  });
});

describe('trainPpo', () => {
  it('reports progress per update and counts steps, updates and episodes', () => {
    const seen: number[] = [];
    const r = trainWith({
      params: { ...TINY, totalSteps: 200 },
      seed: 1,
      onProgress: (p) => seen.push(p.steps),
    });
    expect(seen).toEqual([64, 128, 192, 200]);
    expect(r.stats.steps).toBe(200);
    // 3 rollouts of 64 (2 minibatches x 2 epochs) and one of 8 (1 x 2).
    expect(r.stats.updates).toBe(3 * 4 + 2);
    expect(r.stats.episodes).toBeGreaterThan(0);
    expect(r.stats.history.every((h) => Number.isFinite(h.policyLoss) && h.entropy > 0)).toBe(true);
  });

  it('stops early when asked, before a rollout or between epochs, returning the weights so far', () => {
    const run = (shouldStop: () => boolean, onProgress?: (p: { steps: number }) => void) =>
      trainWith({ seed: 1, shouldStop, ...(onProgress ? { onProgress } : {}) });
    let steps = 0;
    const beforeRollout = run(
      () => steps >= 128,
      (p) => {
        steps = p.steps;
      },
    );
    expect(beforeRollout.stats).toMatchObject({ stopped: true, steps: 128, updates: 8, iterations: 2 });
    let calls = 0;
    // Calls: before rollout 1, before its epoch 2 -> stop there, after 1 epoch of 2 minibatches.
    const betweenEpochs = run(() => ++calls === 2);
    expect(betweenEpochs.stats).toMatchObject({ stopped: true, steps: 64, updates: 2, iterations: 1 });
  });

  it('returns an actor that createMlpPolicy runs deterministically through the simulator', () => {
    const r = train();
    const policy = createMlpPolicy('ppo-test', fx.spec, fx.norm, r.actor);
    const a = runSimulation(fx.market, policy, simConfig, { from: fx.trainTo, to: fx.market.length });
    const b = runSimulation(fx.market, createMlpPolicy('ppo-test', fx.spec, fx.norm, r.actor), simConfig, {
      from: fx.trainTo,
      to: fx.market.length,
    });
    expect(a.portfolio.rejectedSteps).toBe(0);
    expect([...a.equity]).toEqual([...b.equity]);
    expect(r.actor.layers[0]!.weights.buffer).not.toBe(r.critic.layers[0]!.weights.buffer);
  });

  it('refuses invalid hyperparameters, naming the field', () => {
    expect(() => train({ clipRange: -1 })).toThrow(ConfigError);
    expect(() => train({ clipRange: -1 })).toThrow(/clipRange/);
  });
});

describe('trainPpo continuing from earlier weights (a walk-forward stage)', () => {
  it('starts from the given weights: with a zero learning rate it returns them unchanged', () => {
    const first = train();
    const frozen = trainWith({ params: { ...TINY, learningRate: 1e-12 }, seed: 9, initial: first });
    const a = weightsOf(first);
    const b = weightsOf(frozen);
    expect(b).toHaveLength(a.length);
    for (let k = 0; k < a.length; k++) expect(b[k]!).toBeCloseTo(a[k]!, 6);
    // and not where a fresh initialisation with that seed would start
    expect(weightsOf(train({ learningRate: 1e-12 }, 9))).not.toEqual(b);
  });

  it('refuses weights of another shape', () => {
    const small = train({ hiddenSize: 6 });
    expect(() => trainWith({ initial: small })).toThrow(ConfigError);
  });
});
