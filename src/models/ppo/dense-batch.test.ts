// Batched MLP kernels: forward bit-identical to mlpForward row by row, backward vs finite differences.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RandomStream } from '../../core/random.js';
import { createMlp, createMlpScratch, type Mlp, mlpForward } from '../mlp.js';
import { backwardBatch, createBatchScratch, forwardBatch } from './dense-batch.js';

function zeroLike(net: Mlp): Mlp {
  return {
    layers: net.layers.map((l) => ({
      inputs: l.inputs,
      outputs: l.outputs,
      weights: new Float64Array(l.weights.length),
      bias: new Float64Array(l.bias.length),
    })),
  };
}

describe('forwardBatch', () => {
  it('gives exactly mlpForward of each row, for every batch remainder and odd layer widths', () => {
    const rng = new RandomStream(3, 'dense-batch-test');
    const net = createMlp([7, 5, 3, 3], () => rng.uniform());
    for (const l of net.layers) for (let k = 0; k < l.bias.length; k++) l.bias[k] = rng.uniform() - 0.5;
    const single = createMlpScratch(net);
    for (let batch = 1; batch <= 9; batch++) {
      const x = new Float64Array(batch * 7);
      rng.fillNormal(x);
      const out = forwardBatch(net, x, batch, createBatchScratch(net, 9));
      for (let b = 0; b < batch; b++) {
        const y = mlpForward(net, x.subarray(b * 7, (b + 1) * 7), single);
        expect([...out.subarray(b * 3, (b + 1) * 3)]).toEqual([...y]);
      }
    }
  });

  it('gives exactly mlpForward of each row on random shapes and batch sizes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 23 }), { minLength: 2, maxLength: 4 }),
        fc.integer({ min: 1, max: 13 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (sizes, batch, seed) => {
          const rng = new RandomStream(seed, 'dense-batch-property');
          const net = createMlp(sizes, () => rng.uniform());
          for (const l of net.layers) rng.fillNormal(l.bias);
          const inputs = sizes[0]!;
          const outputs = sizes[sizes.length - 1]!;
          const x = new Float64Array(batch * inputs);
          rng.fillNormal(x);
          const out = forwardBatch(net, x, batch, createBatchScratch(net, batch));
          const single = createMlpScratch(net);
          for (let b = 0; b < batch; b++) {
            const y = mlpForward(net, x.subarray(b * inputs, (b + 1) * inputs), single);
            const row = out.subarray(b * outputs, (b + 1) * outputs);
            expect(row.every((v, i) => Object.is(v, y[i]))).toBe(true);
          }
        },
      ),
      { numRuns: 150, seed: 20250603 },
    );
  });

  it('refuses a batch larger than its scratch', () => {
    const net = createMlp([2, 2], () => 0.5);
    expect(() => forwardBatch(net, new Float64Array(6), 3, createBatchScratch(net, 2))).toThrow(/capacity/);
  });
});

describe('backwardBatch', () => {
  it('matches central differences of sum(c . output) for every weight and bias', () => {
    const rng = new RandomStream(4, 'dense-batch-backward');
    const net = createMlp([6, 5, 4, 3], () => rng.uniform());
    const batch = 7;
    const x = new Float64Array(batch * 6);
    rng.fillNormal(x);
    const c = new Float64Array(batch * 3);
    rng.fillNormal(c);
    const scratch = createBatchScratch(net, batch);
    const loss = () => {
      const y = forwardBatch(net, x, batch, scratch);
      let s = 0;
      for (let k = 0; k < batch * 3; k++) s += c[k]! * y[k]!;
      return s;
    };
    loss();
    scratch.outGrad.set(c);
    const grad = zeroLike(net);
    backwardBatch(net, grad, x, batch, scratch);
    const h = 1e-6;
    let worst = 0;
    net.layers.forEach((layer, l) => {
      for (const [param, g] of [
        [layer.weights, grad.layers[l]!.weights],
        [layer.bias, grad.layers[l]!.bias],
      ] as const) {
        for (let k = 0; k < param.length; k++) {
          const p0 = param[k]!;
          param[k] = p0 + h;
          const up = loss();
          param[k] = p0 - h;
          const down = loss();
          param[k] = p0;
          const numeric = (up - down) / (2 * h);
          worst = Math.max(worst, Math.abs(g[k]! - numeric) / Math.max(Math.abs(numeric), 1e-4));
        }
      }
    });
    expect(worst).toBeLessThan(1e-6);
  });
});
