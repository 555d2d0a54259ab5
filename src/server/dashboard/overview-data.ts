// Figures of the overview cards derived from the API's answers; pure.

/** Weight of each position in percent of equity, largest first. */
export function positionWeights(
  positions: readonly { readonly symbol: string; readonly quantity: number; readonly value: number }[],
  equity: number | null,
): { symbol: string; quantity: number; value: number; weightPct: number | null }[] {
  return [...positions]
    .sort((a, b) => b.value - a.value)
    .map((p) => ({ ...p, weightPct: equity !== null && equity > 0 ? (p.value / equity) * 100 : null }));
}
