// Figures of the overview cards derived from the API's answers; pure.

/**
 * The paper trader's return since `sinceMs` (a deployment time): equity now over the equity at the last
 * point at or before `sinceMs`, minus 1, in percent. Null when the curve does not reach back that far.
 */
export function returnSince(
  paper: { readonly ts: readonly number[]; readonly equity: readonly number[] },
  sinceMs: number,
  equityNow: number | null,
): { pct: number; fromEquity: number } | null {
  if (!Number.isFinite(sinceMs) || paper.ts.length === 0 || !(paper.ts[0]! <= sinceMs)) return null;
  let lo = 0;
  let hi = paper.ts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (paper.ts[mid]! <= sinceMs) lo = mid;
    else hi = mid - 1;
  }
  const from = paper.equity[lo]!;
  const now = equityNow ?? paper.equity[paper.equity.length - 1]!;
  if (!(from > 0) || !Number.isFinite(now)) return null;
  return { pct: (now / from - 1) * 100, fromEquity: from };
}

/** Weight of each position in percent of equity, largest first. */
export function positionWeights(
  positions: readonly { readonly symbol: string; readonly quantity: number; readonly value: number }[],
  equity: number | null,
): { symbol: string; quantity: number; value: number; weightPct: number | null }[] {
  return [...positions]
    .sort((a, b) => b.value - a.value)
    .map((p) => ({ ...p, weightPct: equity !== null && equity > 0 ? (p.value / equity) * 100 : null }));
}
