// Gradient check: the analytic gradient of the PPO loss (actor and value parts) against central finite differences.
import { describe, expect, it } from 'vitest';
import { RandomStream } from '../../core/random.js';
import { forwardBatch } from './dense-batch.js';
import {
  createLossScratch,
  createLossTerms,
  createMinibatch,
  type LossCoefficients,
  type Minibatch,
  ppoLoss,
} from './ppo-loss.js';
import { createPpoModel, type PpoModel } from './ppo-model.js';

const OBS = 6;
const LOGITS = 3;
const BATCH = 11; // two blocks of 4 rows and a remainder of 3: every kernel path runs
const H = 1e-5;

/** Ratios of new to old probability per row: inside and on both sides of the clip range, none near a kink. */
const RATIOS = [0.55, 0.9, 1.05, 1.35, 0.7, 1.0, 1.5, 0.95, 1.1, 0.6, 1.25];
/** V - V_old per row: inside and outside +-0.05, none near the kink. */
const VALUE_STEPS = [0.2, -0.01, 0.03, -0.3, 0.1, 0.0, -0.12, 0.04, 0.25, -0.02, -0.07];

function setup(): { model: PpoModel; mb: Minibatch } {
  const rng = new RandomStream(11, 'ppo-loss-test');
  const model = createPpoModel(
    { observationSize: OBS, logits: LOGITS, hiddenSize: 5, hiddenLayers: 2, logStdInit: -0.3 },
    () => rng.uniform(),
  );
  // Larger output weights than the PPO init, so the logit gradients are not tiny.
  const last = model.actor.layers[model.actor.layers.length - 1]!;
  for (let k = 0; k < last.weights.length; k++) last.weights[k] = rng.uniform() - 0.5;
  for (let j = 0; j < LOGITS; j++) model.logStd[j] = -0.5 + 0.3 * j;
  const mb = createMinibatch(BATCH, OBS, LOGITS);
  mb.size = BATCH;
  rng.fillNormal(mb.observations);
  rng.fillNormal(mb.actions);
  rng.fillNormal(mb.advantages);
  rng.fillNormal(mb.returns);
  const scratch = createLossScratch(model, BATCH);
  const mu = forwardBatch(model.actor, mb.observations, BATCH, scratch.actor);
  const v = forwardBatch(model.critic, mb.observations, BATCH, scratch.critic);
  for (let k = 0; k < BATCH; k++) {
    let logp = 0;
    for (let j = 0; j < LOGITS; j++) {
      const z = (mb.actions[k * LOGITS + j]! - mu[k * LOGITS + j]!) / Math.exp(model.logStd[j]!);
      logp += -0.5 * z * z - model.logStd[j]! - 0.5 * Math.log(2 * Math.PI);
    }
    mb.oldLogProbs[k] = logp - Math.log(RATIOS[k]!);
    mb.oldValues[k] = v[k]! - VALUE_STEPS[k]!;
  }
  return { model, mb };
}

/** Max relative error of the analytic gradient vs central differences over every parameter. */
function gradientError(coefs: LossCoefficients): { maxRelative: number; checked: number } {
  const { model, mb } = setup();
  const scratch = createLossScratch(model, BATCH);
  const terms = createLossTerms();
  ppoLoss(model, mb, coefs, scratch, terms);
  const analytic = model.grads.slice();
  let maxRelative = 0;
  let checked = 0;
  for (let k = 0; k < model.params.length; k++) {
    const p0 = model.params[k]!;
    model.params[k] = p0 + H;
    ppoLoss(model, mb, coefs, scratch, terms);
    const up = terms.total;
    model.params[k] = p0 - H;
    ppoLoss(model, mb, coefs, scratch, terms);
    const down = terms.total;
    model.params[k] = p0;
    const numeric = (up - down) / (2 * H);
    const g = analytic[k]!;
    // Relative error, with an absolute floor for gradients that are (numerically) zero.
    const relative = Math.abs(g - numeric) / Math.max(Math.abs(g), Math.abs(numeric), 1e-4);
    if (Math.abs(g) > 1e-4) checked++;
    maxRelative = Math.max(maxRelative, relative);
  }
  return { maxRelative, checked };
}

const base: LossCoefficients = {
  clipRange: 0.2,
  valueClipRange: 0,
  entropyCoef: 0,
  valueCoef: 0,
  normaliseAdvantages: true,
};

describe('PPO loss gradient vs finite differences', () => {
  it('actor loss (clipped surrogate + entropy bonus): relative error < 1e-5', () => {
    const { maxRelative, checked } = gradientError({ ...base, entropyCoef: 0.05 });
    expect(checked).toBeGreaterThan(40);
    expect(maxRelative).toBeLessThan(1e-5);
  });

  it('actor loss without advantage normalisation: relative error < 1e-5', () => {
    const { maxRelative } = gradientError({ ...base, entropyCoef: 0.05, normaliseAdvantages: false });
    expect(maxRelative).toBeLessThan(1e-5);
  });

  it('value loss, unclipped: relative error < 1e-5', () => {
    const { maxRelative, checked } = gradientError({ ...base, clipRange: 100, valueCoef: 0.7 });
    expect(checked).toBeGreaterThan(40);
    expect(maxRelative).toBeLessThan(1e-5);
  });

  it('value loss, clipped around the old values: relative error < 1e-5', () => {
    const { maxRelative } = gradientError({ ...base, valueCoef: 0.7, valueClipRange: 0.05 });
    expect(maxRelative).toBeLessThan(1e-5);
  });
});

describe('PPO loss terms', () => {
  it('gives zero policy gradient to rows clipped on the side the objective would gain from', () => {
    const { model, mb } = setup();
    // Only row 0 (ratio 0.55 < 0.8) with a negative advantage: the clipped term is the min, gradient 0.
    mb.size = 1;
    mb.advantages[0] = -1;
    const scratch = createLossScratch(model, BATCH);
    const terms = createLossTerms();
    ppoLoss(model, mb, { ...base, normaliseAdvantages: false }, scratch, terms);
    expect(terms.policyLoss).toBeCloseTo(0.8, 12);
    expect(terms.clipFraction).toBe(1);
    let actorGrad = 0;
    for (const l of model.actorGrad.layers) for (const w of l.weights) actorGrad += Math.abs(w);
    expect(actorGrad).toBe(0);
  });

  it('has the entropy of a diagonal Gaussian: sum(logStd) + n (1 + log 2 pi) / 2', () => {
    const { model, mb } = setup();
    const terms = createLossTerms();
    ppoLoss(model, mb, base, createLossScratch(model, BATCH), terms);
    const sumLogStd = model.logStd.reduce((s, x) => s + x, 0);
    expect(terms.entropy).toBeCloseTo(sumLogStd + (LOGITS * (1 + Math.log(2 * Math.PI))) / 2, 12);
  });
});
