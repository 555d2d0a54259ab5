// gemmABt against a naive triple loop for every init mode and block remainder; transpose.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RandomStream } from '../../core/random.js';
import { type GemmInit, gemmABt, transpose } from './matmul.js';

function naive(
  a: Float64Array,
  rows: number,
  b: Float64Array,
  cols: number,
  depth: number,
  c0: Float64Array,
  init: GemmInit,
) {
  const c = c0.slice();
  for (let r = 0; r < rows; r++)
    for (let j = 0; j < cols; j++) {
      let s = init === 'zero' ? 0 : init === 'accumulate' ? c[r * cols + j]! : init[j]!;
      for (let k = 0; k < depth; k++) s += b[j * depth + k]! * a[r * depth + k]!;
      c[r * cols + j] = s;
    }
  return c;
}

describe('gemmABt', () => {
  it('equals the naive sums bit for bit, for every init and 2 x 5 block remainder', () => {
    const rng = new RandomStream(8, 'matmul-test');
    for (const rows of [1, 3, 4, 5, 9]) {
      for (const cols of [1, 2, 3, 5, 6, 9, 10]) {
        const depth = 7;
        const a = new Float64Array(rows * depth);
        const b = new Float64Array(cols * depth);
        const c = new Float64Array(rows * cols);
        const bias = new Float64Array(cols);
        rng.fillNormal(a);
        rng.fillNormal(b);
        rng.fillNormal(c);
        rng.fillNormal(bias);
        for (const init of ['zero', 'accumulate', bias] as const) {
          const expected = naive(a, rows, b, cols, depth, c, init);
          const out = c.slice();
          gemmABt(a, rows, b, cols, depth, out, init);
          expect([...out]).toEqual([...expected]);
        }
      }
    }
  });
});

describe('gemmABt on random shapes', () => {
  it('equals the naive sums bit for bit, empty and partial 2 x 5 blocks included', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 11 }),
        fc.integer({ min: 0, max: 17 }),
        fc.integer({ min: 0, max: 9 }),
        fc.constantFrom('zero', 'accumulate', 'bias'),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (rows, cols, depth, kind, seed) => {
          const rng = new RandomStream(seed, 'matmul-property');
          const a = new Float64Array(rows * depth);
          const b = new Float64Array(cols * depth);
          const bias = new Float64Array(cols);
          // One spare value after C: the kernel must not write past rows x cols.
          const c = new Float64Array(rows * cols + 1);
          for (const m of [a, b, bias, c]) rng.fillNormal(m);
          const init = kind === 'bias' ? bias : kind;
          const expected = naive(a, rows, b, cols, depth, c, init);
          const out = c.slice();
          gemmABt(a, rows, b, cols, depth, out, init);
          expect(out.every((v, i) => Object.is(v, expected[i]))).toBe(true);
        },
      ),
      { numRuns: 300, seed: 20250602 },
    );
  });
});

describe('transpose', () => {
  it('swaps rows and columns', () => {
    const out = new Float64Array(6);
    transpose(Float64Array.of(1, 2, 3, 4, 5, 6), 2, 3, out);
    expect([...out]).toEqual([1, 4, 2, 5, 3, 6]);
  });
});
