// Checks a policy's target weights before they may reach the portfolio.

/** Weights a hair outside [0, 1] (float noise from a softmax, say) are clipped rather than refused. */
export const WEIGHT_TOLERANCE = 1e-9;

/**
 * Why `targets` (long-only weights, one per symbol, cash = the rest) must be refused, or null if they
 * are usable: wrong length, NaN or infinite, a weight outside [0, 1], or a sum above 1.
 */
export function targetProblem(targets: ArrayLike<number>, symbolCount: number): string | null {
  if (targets.length !== symbolCount) return `expected ${symbolCount} target weights, got ${targets.length}`;
  let sum = 0;
  for (let i = 0; i < symbolCount; i++) {
    const w = targets[i]!;
    // One range test also catches NaN and infinities (every comparison with NaN is false).
    if (!(w >= -WEIGHT_TOLERANCE && w <= 1 + WEIGHT_TOLERANCE)) return weightProblem(i, w);
    sum += w;
  }
  if (sum > 1 + WEIGHT_TOLERANCE) return `target weights sum to ${sum}, more than 1 (no leverage)`;
  return null;
}

function weightProblem(i: number, w: number): string {
  return Number.isFinite(w) ? `target weight ${i} must be in [0, 1], was ${w}` : `target weight ${i} is ${w}`;
}
