// A stable sort of timestamps that is linear on the orders market files come in (oldest or newest first).

/**
 * The permutation that sorts `keys` ascending, stable (equal keys keep their order), or null when they
 * are ascending already. A natural merge sort: the input is cut into runs that are non-decreasing or
 * strictly decreasing (reversed, which keeps stability as their keys differ), and runs are merged
 * pairwise, so a newest-first file costs one pass and a file of k sorted pieces n log k.
 */
export function sortedOrder(keys: Float64Array): Uint32Array | null {
  const n = keys.length;
  let i = 1;
  while (i < n && keys[i - 1]! <= keys[i]!) i++;
  if (i >= n) return null;
  let order = new Uint32Array(n);
  for (let k = 0; k < n; k++) order[k] = k;
  // Run boundaries: runs[r]..runs[r+1].
  const runs: number[] = [0];
  let start = 0;
  while (start < n) {
    let end = start + 1;
    if (end < n && keys[end]! < keys[start]!) {
      while (end < n && keys[end]! < keys[end - 1]!) end++;
      order.subarray(start, end).reverse();
    } else {
      while (end < n && keys[end - 1]! <= keys[end]!) end++;
    }
    runs.push(end);
    start = end;
  }
  let buffer = new Uint32Array(n);
  let bounds = runs;
  while (bounds.length > 2) {
    const next: number[] = [0];
    for (let r = 0; r + 1 < bounds.length; r += 2) {
      const lo = bounds[r]!;
      const mid = bounds[r + 1]!;
      const hi = r + 2 < bounds.length ? bounds[r + 2]! : mid;
      merge(keys, order, buffer, lo, mid, hi);
      next.push(hi);
    }
    [order, buffer] = [buffer, order];
    bounds = next;
  }
  return order;
}

/** Merges order[lo, mid) and order[lo.. mid, hi) into out[lo, hi), left first on equal keys. */
function merge(
  keys: Float64Array,
  order: Uint32Array,
  out: Uint32Array,
  lo: number,
  mid: number,
  hi: number,
): void {
  let a = lo;
  let b = mid;
  let k = lo;
  while (a < mid && b < hi) out[k++] = keys[order[b]!]! < keys[order[a]!]! ? order[b++]! : order[a++]!;
  while (a < mid) out[k++] = order[a++]!;
  while (b < hi) out[k++] = order[b++]!;
}
