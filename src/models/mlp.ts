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
 * Allocates nothing. Bit-identical to the plain loop `s = b[o]; for each i: s += W[o, i] x[i]` per output
 * (see `denseForward`). Throws ModelError if the input length differs from the first layer's inputs.
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
    const y = scratch[l]!;
    denseForward(net.layers[l]!, x, y, l < last);
    x = y;
  }
  return x;
}

/**
 * One layer on one input row: `y = W x + b`, then tanh if `tanh`. Allocates nothing.
 *
 * Each output starts from its bias and adds `W[o, i] x[i]` in input order, the same operations in the same
 * order as the plain loop, so the result is bit-identical to it (stored bundles keep their actions, replays
 * stay bit for bit). The speed comes from running four outputs side by side: one such sum is a chain of
 * dependent adds, four independent chains hide the add latency and share each load of `x[i]`.
 */
export function denseForward(layer: DenseLayer, x: Float64Array, y: Float64Array, tanh: boolean): void {
  const { inputs, outputs, weights: w, bias } = layer;
  const lastRow = outputs - 1;
  for (let o = 0; o < outputs; o += 4) {
    // A last block of 1-3 outputs repeats its last row: a duplicate chain costs no latency, a scalar tail would.
    const o1 = Math.min(o + 1, lastRow);
    const o2 = Math.min(o + 2, lastRow);
    const o3 = Math.min(o + 3, lastRow);
    const r0 = o * inputs;
    const r1 = o1 * inputs;
    const r2 = o2 * inputs;
    const r3 = o3 * inputs;
    let s0 = bias[o]!;
    let s1 = bias[o1]!;
    let s2 = bias[o2]!;
    let s3 = bias[o3]!;
    for (let i = 0; i < inputs; i++) {
      const v = x[i]!;
      s0 += w[r0 + i]! * v;
      s1 += w[r1 + i]! * v;
      s2 += w[r2 + i]! * v;
      s3 += w[r3 + i]! * v;
    }
    // Activation fused here, while the sums are still in registers.
    if (tanh) {
      s0 = Math.tanh(s0);
      s1 = Math.tanh(s1);
      s2 = Math.tanh(s2);
      s3 = Math.tanh(s3);
    }
    // A repeated row computed the same value, so storing it again is harmless.
    y[o] = s0;
    y[o1] = s1;
    y[o2] = s2;
    y[o3] = s3;
  }
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

/**
 * Target weights of n symbols from 1 + n logits, cash first: their softmax (into `allocation`, 1 + n
 * numbers, which may be `logits` itself) without the cash share, written to `out` (n numbers).
 */
export function softmaxCashFirst(logits: Float64Array, allocation: Float64Array, out: Float64Array): void {
  softmax(logits, allocation);
  for (let i = 0; i < out.length; i++) out[i] = allocation[i + 1]!;
}
