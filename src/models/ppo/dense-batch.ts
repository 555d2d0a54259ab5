// Batched forward and backward passes of an Mlp (tanh hidden layers, linear output) on Float64Arrays.
import { ModelError } from '../../core/errors.js';
import type { Mlp } from '../mlp.js';
import { gemmABt, transpose } from './matmul.js';

/**
 * Activations and gradients of one batch, preallocated for up to `capacity` rows. Row-major: row b of
 * layer l's output is `out[l].subarray(b x outputs, (b + 1) x outputs)`.
 */
export interface BatchScratch {
  readonly capacity: number;
  /** Per layer: tanh(W x + b) for hidden layers, W x + b for the last. */
  readonly out: Float64Array[];
  /** Per layer: dLoss / d(pre-activation). The caller writes the last one (`outGrad`) before `backwardBatch`. */
  readonly delta: Float64Array[];
  /** dLoss / d(network output), batch x outputs: the same buffer as the last `delta`. */
  readonly outGrad: Float64Array;
  /** Per layer: transposes of delta (outputs x batch), of the layer's input (inputs x batch) and of W. */
  readonly deltaT: Float64Array[];
  readonly inputT: Float64Array[];
  readonly weightsT: Float64Array[];
}

/** Scratch for batches of up to `capacity` rows through `net`. */
export function createBatchScratch(net: Mlp, capacity: number): BatchScratch {
  const out = net.layers.map((l) => new Float64Array(capacity * l.outputs));
  const delta = net.layers.map((l) => new Float64Array(capacity * l.outputs));
  return {
    capacity,
    out,
    delta,
    outGrad: delta[delta.length - 1]!,
    deltaT: net.layers.map((l) => new Float64Array(capacity * l.outputs)),
    inputT: net.layers.map((l) => new Float64Array(capacity * l.inputs)),
    weightsT: net.layers.map((l) => new Float64Array(l.inputs * l.outputs)),
  };
}

function checkBatch(net: Mlp, x: Float64Array, batch: number, scratch: BatchScratch): void {
  const inputs = net.layers[0]!.inputs;
  if (batch > scratch.capacity || x.length < batch * inputs)
    throw new ModelError(
      'BATCH_SIZE_INVALID',
      `batch of ${batch} rows needs an input of ${batch * inputs} values and scratch capacity >= ${batch}, got ${x.length} values and capacity ${scratch.capacity}`,
      { batch, capacity: scratch.capacity, inputLength: x.length },
    );
}

/**
 * Forward pass of `batch` rows of `x` (row-major, batch x inputs). Returns the output buffer (batch x
 * outputs, rows beyond `batch` are stale). Allocates nothing. Each output sums bias + w_i x_i in input
 * order, exactly as `mlpForward` does, so a row's output is bit-identical to `mlpForward` of that row.
 */
export function forwardBatch(net: Mlp, x: Float64Array, batch: number, scratch: BatchScratch): Float64Array {
  checkBatch(net, x, batch, scratch);
  const last = net.layers.length - 1;
  let input = x;
  for (let l = 0; l <= last; l++) {
    const { inputs, outputs, weights, bias } = net.layers[l]!;
    const y = scratch.out[l]!;
    gemmABt(input, batch, weights, outputs, inputs, y, bias);
    if (l < last) for (let k = 0; k < batch * outputs; k++) y[k] = Math.tanh(y[k]!);
    input = y;
  }
  return scratch.out[last]!;
}

/**
 * Backward pass after `forwardBatch(net, x, batch, scratch)`, with dLoss/d(output) written in
 * `scratch.outGrad`: adds dLoss/dW and dLoss/db into `grad` (an Mlp of the same shape holding gradients;
 * it accumulates, so zero it first). Overwrites the hidden layers' `delta`. Allocates nothing.
 */
export function backwardBatch(
  net: Mlp,
  grad: Mlp,
  x: Float64Array,
  batch: number,
  scratch: BatchScratch,
): void {
  checkBatch(net, x, batch, scratch);
  for (let l = net.layers.length - 1; l >= 0; l--) {
    const { inputs, outputs, weights } = net.layers[l]!;
    const g = grad.layers[l]!;
    const d = scratch.delta[l]!;
    const dT = scratch.deltaT[l]!;
    const xT = scratch.inputT[l]!;
    // dW = delta^T X and db = column sums of delta, as row-by-row dot products of the transposes.
    transpose(d, batch, outputs, dT);
    transpose(l > 0 ? scratch.out[l - 1]! : x, batch, inputs, xT);
    gemmABt(dT, outputs, xT, inputs, batch, g.weights, 'accumulate');
    for (let o = 0; o < outputs; o++) {
      let s = g.bias[o]!;
      for (let b = 0; b < batch; b++) s += dT[o * batch + b]!;
      g.bias[o] = s;
    }
    if (l === 0) break;
    // delta_prev = (delta W) * tanh'(pre) = (delta W) * (1 - h^2).
    const wT = scratch.weightsT[l]!;
    const prev = scratch.delta[l - 1]!;
    const h = scratch.out[l - 1]!;
    transpose(weights, outputs, inputs, wT);
    gemmABt(d, batch, wT, inputs, outputs, prev, 'zero');
    for (let k = 0; k < batch * inputs; k++) {
      const hv = h[k]!;
      prev[k] = prev[k]! * (1 - hv * hv);
    }
  }
}
