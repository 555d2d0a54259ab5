// weights.bin: an MLP's parameters as little-endian float64, layer by layer (W row-major, then b).
import { ModelError } from '../../core/errors.js';
import type { Mlp } from '../mlp.js';

/** Layer sizes of a network: [inputs, hidden..., outputs]. */
export function layerSizes(net: Mlp): number[] {
  return [net.layers[0]!.inputs, ...net.layers.map((l) => l.outputs)];
}

/** The bytes of weights.bin for `net`. Doubles are stored exactly. */
export function encodeNetwork(net: Mlp): Buffer {
  const count = net.layers.reduce((s, l) => s + l.weights.length + l.bias.length, 0);
  const all = new Float64Array(count);
  let k = 0;
  for (const layer of net.layers) {
    all.set(layer.weights, k);
    k += layer.weights.length;
    all.set(layer.bias, k);
    k += layer.bias.length;
  }
  return Buffer.from(all.buffer, all.byteOffset, all.byteLength);
}

/**
 * Rebuilds the network whose sizes the manifest declares from weights.bin. Refuses a file whose length
 * does not match the declared sizes exactly, or that holds a non-finite number: shapes are never guessed.
 */
export function decodeNetwork(bytes: Uint8Array, sizes: readonly number[], source: string): Mlp {
  let expected = 0;
  for (let l = 0; l + 1 < sizes.length; l++) expected += sizes[l]! * sizes[l + 1]! + sizes[l + 1]!;
  if (bytes.byteLength !== expected * 8)
    throw new ModelError(
      'BUNDLE_WEIGHTS_SIZE_MISMATCH',
      `${source}: holds ${bytes.byteLength / 8} numbers but the manifest's layer sizes [${sizes.join(', ')}] need ${expected}`,
      { source, expected, found: bytes.byteLength / 8 },
    );
  const copy = new Uint8Array(bytes); // aligned copy
  const all = new Float64Array(copy.buffer, 0, expected);
  for (let i = 0; i < all.length; i++)
    if (!Number.isFinite(all[i]!))
      throw new ModelError('BUNDLE_WEIGHTS_CORRUPT', `${source}: parameter ${i} is ${all[i]}`, {
        source,
        index: i,
      });
  const layers = [];
  let k = 0;
  for (let l = 0; l + 1 < sizes.length; l++) {
    const inputs = sizes[l]!;
    const outputs = sizes[l + 1]!;
    const weights = all.slice(k, k + inputs * outputs);
    k += inputs * outputs;
    const bias = all.slice(k, k + outputs);
    k += outputs;
    layers.push({ inputs, outputs, weights, bias });
  }
  return { layers };
}
