// mlpForward: bit for bit the plain per-output loop on random shapes, partial blocks, scratch reuse, errors.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RandomStream } from '../core/random.js';
import { createMlp, createMlpScratch, type DenseLayer, denseForward, type Mlp, mlpForward } from './mlp.js';

/** The straightforward layer: per output, the bias then w_i x_i in input order, then tanh if asked. */
function referenceLayer(layer: DenseLayer, x: Float64Array, tanh: boolean): Float64Array {
  const y = new Float64Array(layer.outputs);
  for (let o = 0; o < layer.outputs; o++) {
    let s = layer.bias[o]!;
    for (let i = 0; i < layer.inputs; i++) s += layer.weights[o * layer.inputs + i]! * x[i]!;
    y[o] = tanh ? Math.tanh(s) : s;
  }
  return y;
}

/** The straightforward forward pass: tanh on hidden layers, linear output. */
function referenceForward(net: Mlp, input: Float64Array): Float64Array {
  let x = input;
  net.layers.forEach((layer, l) => {
    x = referenceLayer(layer, x, l < net.layers.length - 1);
  });
  return x;
}

/**
 * A network of `sizes` with normal weights and biases at a per-layer scale, some exact zeros and negative
 * zeros: mixed magnitudes make any change of summation order show in the last bits.
 */
function randomNet(sizes: readonly number[], rng: RandomStream): Mlp {
  const net = createMlp(sizes, () => rng.uniform());
  for (const layer of net.layers) {
    const scale = [1e-3, 0.1, 1, 30][Math.floor(rng.uniform() * 4)]!;
    for (const values of [layer.weights, layer.bias]) {
      rng.fillNormal(values);
      for (let k = 0; k < values.length; k++) {
        const u = rng.uniform();
        values[k] = u < 0.03 ? 0 : u < 0.06 ? -0 : values[k]! * scale;
      }
    }
  }
  return net;
}

function randomInput(size: number, rng: RandomStream): Float64Array {
  const x = new Float64Array(size);
  rng.fillNormal(x);
  return x;
}

/** Element-wise Object.is, so -0 against 0 and NaN count: the arrays are the same doubles. */
function sameBits(a: Float64Array, b: Float64Array): boolean {
  return a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
}

describe('mlpForward', () => {
  it('equals the plain loop bit for bit on random shapes, reusing its scratch', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 37 }), { minLength: 2, maxLength: 5 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (sizes, seed) => {
          const rng = new RandomStream(seed, 'mlp-test');
          const net = randomNet(sizes, rng);
          const scratch = createMlpScratch(net);
          for (let call = 0; call < 3; call++) {
            const x = randomInput(sizes[0]!, rng);
            const y = mlpForward(net, x, scratch);
            expect(y).toBe(scratch[scratch.length - 1]);
            expect(sameBits(y, referenceForward(net, x))).toBe(true);
          }
        },
      ),
      { numRuns: 200, seed: 20250601 },
    );
  });

  it('equals the plain loop for the deployed shape 92 -> 64 -> 64 -> 7 and 8', () => {
    const rng = new RandomStream(11, 'mlp-test-deployed');
    for (const outputs of [7, 8]) {
      const net = randomNet([92, 64, 64, outputs], rng);
      const x = randomInput(92, rng);
      expect(sameBits(mlpForward(net, x, createMlpScratch(net)), referenceForward(net, x))).toBe(true);
    }
  });

  it('is sensitive to the summation order, so the bit-for-bit checks above mean something', () => {
    const rng = new RandomStream(12, 'mlp-test-order');
    const net = randomNet([92, 64, 64, 7], rng);
    // The first layer with its inputs in reverse order, fed the reversed input: the same sums, summed
    // from the last input to the first.
    const first = net.layers[0]!;
    const w = new Float64Array(first.weights.length);
    for (let o = 0; o < first.outputs; o++)
      for (let i = 0; i < first.inputs; i++) w[o * 92 + i] = first.weights[o * 92 + 91 - i]!;
    const reversed: Mlp = { layers: [{ ...first, weights: w }, ...net.layers.slice(1)] };
    let differs = 0;
    for (let run = 0; run < 20; run++) {
      const x = randomInput(92, rng);
      const y = mlpForward(net, x, createMlpScratch(net));
      const z = referenceForward(reversed, x.slice().reverse());
      if (!sameBits(y, z)) differs++;
      for (let o = 0; o < 7; o++) expect(z[o]).toBeCloseTo(y[o]!, 9);
    }
    expect(differs).toBeGreaterThan(0);
  });

  it('computes a small network by hand', () => {
    // Hidden: tanh(1 + 0.5 x 2 - 2 x 0.25) = tanh(1.5); output: -1 + 4 tanh(1.5).
    const net: Mlp = {
      layers: [
        { inputs: 2, outputs: 1, weights: Float64Array.of(0.5, -2), bias: Float64Array.of(1) },
        { inputs: 1, outputs: 1, weights: Float64Array.of(4), bias: Float64Array.of(-1) },
      ],
    };
    const y = mlpForward(net, Float64Array.of(2, 0.25), createMlpScratch(net));
    expect(y[0]).toBe(-1 + 4 * Math.tanh(1.5));
  });

  it('refuses an input of the wrong length, naming both lengths', () => {
    const net = createMlp([3, 2], () => 0.5);
    expect(() => mlpForward(net, new Float64Array(4), createMlpScratch(net))).toThrow(
      'network expects 3 inputs, got 4',
    );
  });
});

describe('denseForward', () => {
  it('writes exactly `outputs` values for every full and partial block of four', () => {
    const rng = new RandomStream(13, 'mlp-test-dense');
    for (let outputs = 1; outputs <= 9; outputs++) {
      const layer: DenseLayer = randomNet([5, outputs], rng).layers[0]!;
      const x = randomInput(5, rng);
      for (const tanh of [false, true]) {
        // A sentinel after the outputs must survive: the repeated rows of a partial block stay inside.
        const y = new Float64Array(outputs + 1).fill(42);
        denseForward(layer, x, y, tanh);
        expect(sameBits(y.subarray(0, outputs), referenceLayer(layer, x, tanh))).toBe(true);
        expect(y[outputs]).toBe(42);
      }
    }
  });
});
