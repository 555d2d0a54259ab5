// Register-blocked C = init + A B^T on row-major Float64Arrays: the one kernel behind the batched MLP passes.

/** Where each output of `gemmABt` starts: a bias per column, zero, or the value already in C (accumulate). */
export type GemmInit = Float64Array | 'zero' | 'accumulate';

/**
 * C[r, c] = init + sum_k A[r, k] B[c, k] for r < rows, c < cols, with A rows x depth, B cols x depth and
 * C rows x cols, all row-major and dense. Each output is summed from its init in k order (so a bias init
 * reproduces `mlpForward`'s sums bit for bit). Allocates nothing.
 */
export function gemmABt(
  a: Float64Array,
  rows: number,
  b: Float64Array,
  cols: number,
  depth: number,
  c: Float64Array,
  init: GemmInit,
): void {
  // Write the init into C first, so the kernel has one shape (start from C) whatever the init: a kernel
  // that branched on the init per block measured about 10 % slower.
  if (init === 'zero') c.fill(0, 0, rows * cols);
  else if (init !== 'accumulate')
    for (let r = 0; r < rows; r++) {
      const row = r * cols;
      for (let j = 0; j < cols; j++) c[row + j] = init[j]!;
    }
  accumulateABt(a, rows, b, cols, depth, c);
}

/**
 * C += A B^T in blocks of 2 rows x 5 columns: ten independent sums share each loaded A and B value and
 * still fit in the float registers (measured on the PPO shapes: 2 x 5 beat 4 x 2, 3 x 3, 3 x 4, 4 x 3 and
 * 2 x 6). A last partial block repeats its last row or column: a repeated sum starts from the same C value
 * (every start is read before the block stores anything), so it stores the same number again.
 */
function accumulateABt(
  a: Float64Array,
  rows: number,
  b: Float64Array,
  cols: number,
  depth: number,
  c: Float64Array,
): void {
  const lastRow = rows - 1;
  const lastCol = cols - 1;
  for (let r0 = 0; r0 < rows; r0 += 2) {
    const r1 = Math.min(r0 + 1, lastRow);
    const c0 = r0 * cols;
    const c1 = r1 * cols;
    const a0 = r0 * depth;
    const a1 = r1 * depth;
    for (let j0 = 0; j0 < cols; j0 += 5) {
      const j1 = Math.min(j0 + 1, lastCol);
      const j2 = Math.min(j0 + 2, lastCol);
      const j3 = Math.min(j0 + 3, lastCol);
      const j4 = Math.min(j0 + 4, lastCol);
      let s00 = c[c0 + j0]!;
      let s01 = c[c0 + j1]!;
      let s02 = c[c0 + j2]!;
      let s03 = c[c0 + j3]!;
      let s04 = c[c0 + j4]!;
      let s10 = c[c1 + j0]!;
      let s11 = c[c1 + j1]!;
      let s12 = c[c1 + j2]!;
      let s13 = c[c1 + j3]!;
      let s14 = c[c1 + j4]!;
      const b0 = j0 * depth;
      const b1 = j1 * depth;
      const b2 = j2 * depth;
      const b3 = j3 * depth;
      const b4 = j4 * depth;
      for (let k = 0; k < depth; k++) {
        const x0 = a[a0 + k]!;
        const x1 = a[a1 + k]!;
        let u = b[b0 + k]!;
        s00 += u * x0;
        s10 += u * x1;
        u = b[b1 + k]!;
        s01 += u * x0;
        s11 += u * x1;
        u = b[b2 + k]!;
        s02 += u * x0;
        s12 += u * x1;
        u = b[b3 + k]!;
        s03 += u * x0;
        s13 += u * x1;
        u = b[b4 + k]!;
        s04 += u * x0;
        s14 += u * x1;
      }
      c[c0 + j0] = s00;
      c[c0 + j1] = s01;
      c[c0 + j2] = s02;
      c[c0 + j3] = s03;
      c[c0 + j4] = s04;
      c[c1 + j0] = s10;
      c[c1 + j1] = s11;
      c[c1 + j2] = s12;
      c[c1 + j3] = s13;
      c[c1 + j4] = s14;
    }
  }
}

/** out (cols x rows) = transpose of m (rows x cols), both row-major. */
export function transpose(m: Float64Array, rows: number, cols: number, out: Float64Array): void {
  for (let r = 0; r < rows; r++) {
    const row = r * cols;
    for (let j = 0; j < cols; j++) out[j * rows + r] = m[row + j]!;
  }
}
