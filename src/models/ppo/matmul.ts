// Register-blocked C = init + A B^T on row-major Float64Arrays: the one kernel behind the batched MLP passes.

/** Where each output of `gemmABt` starts: a bias per column, zero, or the value already in C (accumulate). */
export type GemmInit = Float64Array | 'zero' | 'accumulate';

/**
 * C[r, c] = init + sum_k A[r, k] B[c, k] for r < rows, c < cols, with A rows x depth, B cols x depth and
 * C rows x cols, all row-major and dense. Each output is summed from its init in k order (so a bias init
 * reproduces `mlpForward`'s sums bit for bit). Blocks of 4 rows x 2 columns share their loads; leftover
 * rows go 4 columns at a time.
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
  let r = 0;
  for (; r + 4 <= rows; r += 4) {
    const a0 = r * depth;
    const a1 = a0 + depth;
    const a2 = a1 + depth;
    const a3 = a2 + depth;
    const c0 = r * cols;
    let j = 0;
    for (; j + 2 <= cols; j += 2) {
      const b0 = j * depth;
      const b1 = b0 + depth;
      let s00 = start(init, c, c0 + j, j);
      let s10 = start(init, c, c0 + cols + j, j);
      let s20 = start(init, c, c0 + 2 * cols + j, j);
      let s30 = start(init, c, c0 + 3 * cols + j, j);
      let s01 = start(init, c, c0 + j + 1, j + 1);
      let s11 = start(init, c, c0 + cols + j + 1, j + 1);
      let s21 = start(init, c, c0 + 2 * cols + j + 1, j + 1);
      let s31 = start(init, c, c0 + 3 * cols + j + 1, j + 1);
      for (let k = 0; k < depth; k++) {
        const u = b[b0 + k]!;
        const v = b[b1 + k]!;
        const x0 = a[a0 + k]!;
        const x1 = a[a1 + k]!;
        const x2 = a[a2 + k]!;
        const x3 = a[a3 + k]!;
        s00 += u * x0;
        s10 += u * x1;
        s20 += u * x2;
        s30 += u * x3;
        s01 += v * x0;
        s11 += v * x1;
        s21 += v * x2;
        s31 += v * x3;
      }
      c[c0 + j] = s00;
      c[c0 + cols + j] = s10;
      c[c0 + 2 * cols + j] = s20;
      c[c0 + 3 * cols + j] = s30;
      c[c0 + j + 1] = s01;
      c[c0 + cols + j + 1] = s11;
      c[c0 + 2 * cols + j + 1] = s21;
      c[c0 + 3 * cols + j + 1] = s31;
    }
    for (; j < cols; j++) for (let q = 0; q < 4; q++) one(a, r + q, b, j, depth, c, cols, init);
  }
  for (; r < rows; r++) singleRow(a, r, b, cols, depth, c, init);
}

/** One row of C, 4 columns at a time: four independent sums hide the add latency (single-row inference). */
function singleRow(
  a: Float64Array,
  r: number,
  b: Float64Array,
  cols: number,
  depth: number,
  c: Float64Array,
  init: GemmInit,
): void {
  const a0 = r * depth;
  const c0 = r * cols;
  let j = 0;
  for (; j + 4 <= cols; j += 4) {
    const b0 = j * depth;
    const b1 = b0 + depth;
    const b2 = b1 + depth;
    const b3 = b2 + depth;
    let s0 = start(init, c, c0 + j, j);
    let s1 = start(init, c, c0 + j + 1, j + 1);
    let s2 = start(init, c, c0 + j + 2, j + 2);
    let s3 = start(init, c, c0 + j + 3, j + 3);
    for (let k = 0; k < depth; k++) {
      const x = a[a0 + k]!;
      s0 += b[b0 + k]! * x;
      s1 += b[b1 + k]! * x;
      s2 += b[b2 + k]! * x;
      s3 += b[b3 + k]! * x;
    }
    c[c0 + j] = s0;
    c[c0 + j + 1] = s1;
    c[c0 + j + 2] = s2;
    c[c0 + j + 3] = s3;
  }
  for (; j < cols; j++) one(a, r, b, j, depth, c, cols, init);
}

function start(init: GemmInit, c: Float64Array, at: number, col: number): number {
  return init === 'zero' ? 0 : init === 'accumulate' ? c[at]! : init[col]!;
}

function one(
  a: Float64Array,
  r: number,
  b: Float64Array,
  j: number,
  depth: number,
  c: Float64Array,
  cols: number,
  init: GemmInit,
): void {
  let s = start(init, c, r * cols + j, j);
  const a0 = r * depth;
  const b0 = j * depth;
  for (let k = 0; k < depth; k++) s += b[b0 + k]! * a[a0 + k]!;
  c[r * cols + j] = s;
}

/** out (cols x rows) = transpose of m (rows x cols), both row-major. */
export function transpose(m: Float64Array, rows: number, cols: number, out: Float64Array): void {
  for (let r = 0; r < rows; r++) {
    const row = r * cols;
    for (let j = 0; j < cols; j++) out[j * rows + r] = m[row + j]!;
  }
}
