// The PPO loss of one minibatch (clipped surrogate, Gaussian entropy, optionally clipped value loss) and its gradient.
import { type BatchScratch, backwardBatch, createBatchScratch, forwardBatch } from './dense-batch.js';
import type { PpoModel } from './ppo-model.js';

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
/** Keeps the advantage normalisation finite when a minibatch's advantages are all equal. */
const ADVANTAGE_EPS = 1e-8;

/** The loss knobs of `PpoParams`. */
export interface LossCoefficients {
  readonly clipRange: number;
  /** 0 = unclipped value loss. */
  readonly valueClipRange: number;
  readonly entropyCoef: number;
  readonly valueCoef: number;
  readonly normaliseAdvantages: boolean;
}

/** Rows of a rollout gathered for one gradient step (preallocated for `capacity` rows; `size` used). */
export interface Minibatch {
  size: number;
  readonly capacity: number;
  readonly observations: Float64Array;
  /** Sampled logits. */
  readonly actions: Float64Array;
  readonly oldLogProbs: Float64Array;
  readonly advantages: Float64Array;
  readonly returns: Float64Array;
  readonly oldValues: Float64Array;
}

/** The terms of the loss of one minibatch. */
export interface LossTerms {
  /** -mean(min(ratio A, clip(ratio) A)). */
  policyLoss: number;
  /** 0.5 mean(max((V - R)^2, (V_clipped - R)^2)), or 0.5 mean((V - R)^2) unclipped. */
  valueLoss: number;
  /** Entropy of the Gaussian over the logits (state-independent). */
  entropy: number;
  /** policyLoss - entropyCoef x entropy + valueCoef x valueLoss: what the gradient descends. */
  total: number;
  /** mean((ratio - 1) - log ratio): an estimate of KL(old || new). */
  approxKl: number;
  /** Fraction of rows whose ratio is outside [1 - clipRange, 1 + clipRange]. */
  clipFraction: number;
}

/** Buffers for `ppoLoss` with minibatches of up to `capacity` rows. */
export interface LossScratch {
  readonly actor: BatchScratch;
  readonly critic: BatchScratch;
  readonly advantages: Float64Array;
  readonly invVar: Float64Array;
}

/** An empty minibatch of up to `capacity` rows. */
export function createMinibatch(capacity: number, observationSize: number, actionSize: number): Minibatch {
  return {
    size: 0,
    capacity,
    observations: new Float64Array(capacity * observationSize),
    actions: new Float64Array(capacity * actionSize),
    oldLogProbs: new Float64Array(capacity),
    advantages: new Float64Array(capacity),
    returns: new Float64Array(capacity),
    oldValues: new Float64Array(capacity),
  };
}

/** Scratch for `ppoLoss` on `model` with minibatches of up to `capacity` rows. */
export function createLossScratch(model: PpoModel, capacity: number): LossScratch {
  return {
    actor: createBatchScratch(model.actor, capacity),
    critic: createBatchScratch(model.critic, capacity),
    advantages: new Float64Array(capacity),
    invVar: new Float64Array(model.logStd.length),
  };
}

/** Empty loss terms to pass to `ppoLoss`. */
export function createLossTerms(): LossTerms {
  return { policyLoss: 0, valueLoss: 0, entropy: 0, total: 0, approxKl: 0, clipFraction: 0 };
}

/** Advantages of the minibatch, normalised to zero mean and unit std when asked and there are >= 2. */
function prepareAdvantages(mb: Minibatch, normalise: boolean, out: Float64Array): void {
  const b = mb.size;
  let mean = 0;
  let std = 1;
  if (normalise && b > 1) {
    let s = 0;
    for (let k = 0; k < b; k++) s += mb.advantages[k]!;
    mean = s / b;
    let ss = 0;
    for (let k = 0; k < b; k++) ss += (mb.advantages[k]! - mean) ** 2;
    std = Math.sqrt(ss / b) + ADVANTAGE_EPS;
  }
  for (let k = 0; k < b; k++) out[k] = (mb.advantages[k]! - mean) / std;
}

/**
 * Computes the loss of `mb` under `model` into `terms` and its gradient with respect to every parameter
 * into `model.grads` (zeroed first). Pure: reads the model and the minibatch, writes only `terms`,
 * `model.grads` and `scratch`.
 */
export function ppoLoss(
  model: PpoModel,
  mb: Minibatch,
  coefs: LossCoefficients,
  scratch: LossScratch,
  terms: LossTerms,
): void {
  model.grads.fill(0);
  const b = mb.size;
  const logStd = model.logStd;
  const na = logStd.length;
  const invVar = scratch.invVar;
  let entropy = 0;
  for (let j = 0; j < na; j++) {
    invVar[j] = Math.exp(-2 * logStd[j]!);
    entropy += logStd[j]! + 0.5 + HALF_LOG_2PI;
  }
  const adv = scratch.advantages;
  prepareAdvantages(mb, coefs.normaliseAdvantages, adv);

  // Actor: clipped surrogate. dLoss/dmu and dLoss/dlogStd through logp = sum_j -z_j^2/2 - logStd_j - log(2 pi)/2.
  const mu = forwardBatch(model.actor, mb.observations, b, scratch.actor);
  const dMu = scratch.actor.outGrad;
  const dLogStd = model.logStdGrad;
  const lo = 1 - coefs.clipRange;
  const hi = 1 + coefs.clipRange;
  let policyLoss = 0;
  let approxKl = 0;
  let clipped = 0;
  for (let k = 0; k < b; k++) {
    const row = k * na;
    let logp = 0;
    for (let j = 0; j < na; j++) {
      const diff = mb.actions[row + j]! - mu[row + j]!;
      logp -= 0.5 * diff * diff * invVar[j]! + logStd[j]! + HALF_LOG_2PI;
    }
    const logRatio = logp - mb.oldLogProbs[k]!;
    const ratio = Math.exp(logRatio);
    const a = adv[k]!;
    const clippedRatio = Math.max(lo, Math.min(ratio, hi));
    const unclippedTerm = ratio * a;
    const clippedTerm = clippedRatio * a;
    policyLoss -= Math.min(unclippedTerm, clippedTerm) / b;
    approxKl += (ratio - 1 - logRatio) / b;
    if (ratio < lo || ratio > hi) clipped++;
    // Where the clipped term is the smaller, the ratio is outside the range and the gradient is 0.
    const dLogp = unclippedTerm <= clippedTerm ? -(a * ratio) / b : 0;
    for (let j = 0; j < na; j++) {
      const diff = mb.actions[row + j]! - mu[row + j]!;
      dMu[row + j] = dLogp * diff * invVar[j]!;
      dLogStd[j] = dLogStd[j]! + dLogp * (diff * diff * invVar[j]! - 1);
    }
  }
  for (let j = 0; j < na; j++) dLogStd[j] = dLogStd[j]! - coefs.entropyCoef;
  backwardBatch(model.actor, model.actorGrad, mb.observations, b, scratch.actor);

  // Critic: 0.5 (V - R)^2, or with value clipping 0.5 max((V - R)^2, (V_old + clip(V - V_old) - R)^2).
  const v = forwardBatch(model.critic, mb.observations, b, scratch.critic);
  const dV = scratch.critic.outGrad;
  const eps = coefs.valueClipRange;
  let valueLoss = 0;
  for (let k = 0; k < b; k++) {
    const value = v[k]!;
    const target = mb.returns[k]!;
    const err = value - target;
    let grad = err;
    let sq = err * err;
    if (eps > 0) {
      const old = mb.oldValues[k]!;
      const step = value - old;
      const inside = step > -eps && step < eps;
      const vc = inside ? value : step <= -eps ? old - eps : old + eps;
      const errC = vc - target;
      if (errC * errC > sq) {
        sq = errC * errC;
        grad = inside ? errC : 0;
      }
    }
    valueLoss += (0.5 * sq) / b;
    dV[k] = (coefs.valueCoef * grad) / b;
  }
  backwardBatch(model.critic, model.criticGrad, mb.observations, b, scratch.critic);

  terms.policyLoss = policyLoss;
  terms.valueLoss = valueLoss;
  terms.entropy = entropy;
  terms.total = policyLoss - coefs.entropyCoef * entropy + coefs.valueCoef * valueLoss;
  terms.approxKl = approxKl;
  terms.clipFraction = b > 0 ? clipped / b : 0;
}
