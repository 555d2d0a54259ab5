// The PPO actor-critic: actor MLP, state-independent log-std and critic MLP, all views into one flat vector.
import { createMlp, type DenseLayer, type Mlp } from '../mlp.js';
import type { PpoParams } from './params.js';

/** Scale of the actor's last layer at init: logits start near 0, so the first policy is near uniform. */
const ACTOR_OUTPUT_GAIN = 0.01;

/**
 * Actor, log-std and critic whose weights all live in one `params` vector (and their gradients in the
 * same layout in `grads`), so the optimiser, gradient clipping and weight comparisons see one array.
 * Layout: actor layers (weights then bias, layer by layer), logStd, critic layers.
 */
export interface PpoModel {
  readonly params: Float64Array;
  readonly grads: Float64Array;
  /** obs -> 1 + n logit means [cash, assets]; tanh hidden layers. */
  readonly actor: Mlp;
  readonly actorGrad: Mlp;
  /** Log standard deviation of each logit (state-independent). */
  readonly logStd: Float64Array;
  readonly logStdGrad: Float64Array;
  /** obs -> value. */
  readonly critic: Mlp;
  readonly criticGrad: Mlp;
}

/** Shape of a PPO model. */
export interface PpoModelShape {
  readonly observationSize: number;
  /** Logits: 1 + number of symbols. */
  readonly logits: number;
  readonly hiddenSize: number;
  readonly hiddenLayers: number;
  readonly logStdInit: number;
}

function layerSizes(inputs: number, hiddenSize: number, hiddenLayers: number, outputs: number): number[] {
  return [inputs, ...Array.from({ length: hiddenLayers }, () => hiddenSize), outputs];
}

function mlpParamCount(net: Mlp): number {
  return net.layers.reduce((s, l) => s + l.weights.length + l.bias.length, 0);
}

/** Rebuilds `net`'s layers as views into `buffer` from `offset` on, copying values if `copy`. */
function viewInto(net: Mlp, buffer: Float64Array, offset: number, copy: boolean): { view: Mlp; end: number } {
  const layers: DenseLayer[] = [];
  let at = offset;
  for (const l of net.layers) {
    const weights = buffer.subarray(at, at + l.weights.length);
    at += l.weights.length;
    const bias = buffer.subarray(at, at + l.bias.length);
    at += l.bias.length;
    if (copy) {
      weights.set(l.weights);
      bias.set(l.bias);
    }
    layers.push({ inputs: l.inputs, outputs: l.outputs, weights, bias });
  }
  return { view: { layers }, end: at };
}

/** The model shape for an environment (observation size, one logit per symbol plus cash) and the params. */
export function ppoModelShape(
  env: { readonly observationSize: number; readonly actionSize: number },
  params: Pick<PpoParams, 'hiddenSize' | 'hiddenLayers' | 'logStdInit'>,
): PpoModelShape {
  return {
    observationSize: env.observationSize,
    logits: env.actionSize + 1,
    hiddenSize: params.hiddenSize,
    hiddenLayers: params.hiddenLayers,
    logStdInit: params.logStdInit,
  };
}

/**
 * A fresh model: Glorot-uniform weights drawn from `uniform` (seeded [0, 1) source), the actor's output
 * layer scaled by 0.01, zero biases, logStd = logStdInit. Draws actor weights first, then critic weights.
 */
export function createPpoModel(shape: PpoModelShape, uniform: () => number): PpoModel {
  const { observationSize, logits, hiddenSize, hiddenLayers } = shape;
  const actor0 = createMlp(layerSizes(observationSize, hiddenSize, hiddenLayers, logits), uniform);
  const critic0 = createMlp(layerSizes(observationSize, hiddenSize, hiddenLayers, 1), uniform);
  const lastActor = actor0.layers[actor0.layers.length - 1]!;
  for (let k = 0; k < lastActor.weights.length; k++) lastActor.weights[k] *= ACTOR_OUTPUT_GAIN;
  const size = mlpParamCount(actor0) + logits + mlpParamCount(critic0);
  const params = new Float64Array(size);
  const grads = new Float64Array(size);
  const a = viewInto(actor0, params, 0, true);
  const ag = viewInto(actor0, grads, 0, false);
  const logStd = params.subarray(a.end, a.end + logits).fill(shape.logStdInit);
  const logStdGrad = grads.subarray(a.end, a.end + logits);
  const c = viewInto(critic0, params, a.end + logits, true);
  const cg = viewInto(critic0, grads, a.end + logits, false);
  return {
    params,
    grads,
    actor: a.view,
    actorGrad: ag.view,
    logStd,
    logStdGrad,
    critic: c.view,
    criticGrad: cg.view,
  };
}

/** A deep copy of `net` with arrays of its own (no views into a shared buffer): safe to serialise. */
export function cloneMlp(net: Mlp): Mlp {
  return {
    layers: net.layers.map((l) => ({
      inputs: l.inputs,
      outputs: l.outputs,
      weights: l.weights.slice(),
      bias: l.bias.slice(),
    })),
  };
}
