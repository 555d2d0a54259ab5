// A small dense network (tanh hidden layers, linear output) on Float64Arrays: fast inference, no native code.
import { ModelError } from '../core/errors.js';

/** One dense layer: out = W x + b, W row-major (outputs x inputs). */
export interface DenseLayer {
  readonly inputs: number;
  readonly outputs: number;
  readonly weights: Float64Array;
  readonly bias: Float64Array;
}

export interface Mlp {
  readonly layers: readonly DenseLayer[];
}

/**
 * A network with layer sizes `sizes` (input, hidden..., output), weights drawn by `uniform` (a seeded
 * source of [0, 1) numbers) with Glorot-uniform scaling, biases zero.
 */
export function createMlp(sizes: readonly number[], uniform: () => number): Mlp {
  if (sizes.length < 2 || sizes.some((s) => !Number.isInteger(s) || s < 1))
    throw new ModelError(
      'MLP_SHAPE_INVALID',
      `layer sizes must be >= 2 positive integers, were [${sizes.join(', ')}]`,
    );
  const layers: DenseLayer[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const inputs = sizes[l]!;
    const outputs = sizes[l + 1]!;
    const limit = Math.sqrt(6 / (inputs + outputs));
    const weights = new Float64Array(inputs * outputs);
    for (let k = 0; k < weights.length; k++) weights[k] = (uniform() * 2 - 1) * limit;
    layers.push({ inputs, outputs, weights, bias: new Float64Array(outputs) });
  }
  return { layers };
}

/** Scratch buffers for `mlpForward`, one per layer output: allocate once, reuse every call. */
export function createMlpScratch(net: Mlp): Float64Array[] {
  return net.layers.map((l) => new Float64Array(l.outputs));
}

/**
 * Forward pass: tanh after every layer but the last. Returns the output buffer (the last scratch array).
 * Allocates nothing. Throws ModelError if the input length differs from the first layer's inputs.
 */
export function mlpForward(net: Mlp, input: Float64Array, scratch: Float64Array[]): Float64Array {
  const first = net.layers[0]!;
  if (input.length !== first.inputs)
    throw new ModelError('MLP_INPUT_SIZE', `network expects ${first.inputs} inputs, got ${input.length}`, {
      expected: first.inputs,
      found: input.length,
    });
  let x = input;
  const last = net.layers.length - 1;
  for (let l = 0; l <= last; l++) {
    const { inputs, outputs, weights, bias } = net.layers[l]!;
    const y = scratch[l]!;
    for (let o = 0; o < outputs; o++) {
      let s = bias[o]!;
      const row = o * inputs;
      for (let i = 0; i < inputs; i++) s += weights[row + i]! * x[i]!;
      y[o] = l < last ? Math.tanh(s) : s;
    }
    x = y;
  }
  return x;
}

/** Softmax of `logits` into `out` (same length), numerically stable. */
export function softmax(logits: Float64Array, out: Float64Array): void {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < logits.length; i++) if (logits[i]! > max) max = logits[i]!;
  let sum = 0;
  for (let i = 0; i < logits.length; i++) {
    const e = Math.exp(logits[i]! - max);
    out[i] = e;
    sum += e;
  }
  for (let i = 0; i < logits.length; i++) out[i] = out[i]! / sum;
}
