// The distribution of each arm's results over the evaluation windows, and how often one beat another. Pure.

/** What one arm (a deployment mode or a benchmark) did over one window. */
export interface ArmResult {
  /** Percent over the window; null when undefined. */
  readonly returnPct: number | null;
  /** Annualised; null when undefined (no variance: e.g. all cash). */
  readonly sharpe: number | null;
  readonly maxDrawdownPct: number | null;
  /** Model swaps in the window (deployments + promotions); 0 for benchmarks. */
  readonly swaps: number;
}

/** Median, quartiles and worst of one figure over the windows (undefined values left out). */
export interface Spread {
  readonly median: number | null;
  readonly q1: number | null;
  readonly q3: number | null;
  /** The worst window: lowest for return and Sharpe, highest for drawdown and swaps. */
  readonly worst: number | null;
  /** Windows with a value. */
  readonly n: number;
}

/** Linear-interpolation quantile of sorted values (numpy's default); null when there are none. */
export function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const rank = q * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo);
}

export function spreadOf(values: readonly (number | null)[], worst: 'low' | 'high'): Spread {
  const sorted = values.filter((v): v is number => v !== null && Number.isFinite(v)).sort((a, b) => a - b);
  return {
    median: quantile(sorted, 0.5),
    q1: quantile(sorted, 0.25),
    q3: quantile(sorted, 0.75),
    worst: sorted.length === 0 ? null : worst === 'low' ? sorted[0]! : sorted[sorted.length - 1]!,
    n: sorted.length,
  };
}

export interface ArmSummary {
  readonly returnPct: Spread;
  readonly sharpe: Spread;
  readonly maxDrawdownPct: Spread;
  readonly swaps: Spread;
}

/** Which end of each figure is the worst window: low returns and Sharpe, high drawdowns and swaps. */
const WORST_END = {
  returnPct: 'low',
  sharpe: 'low',
  maxDrawdownPct: 'high',
  swaps: 'high',
} as const satisfies Record<keyof ArmSummary, 'low' | 'high'>;

export function summariseArm(results: readonly ArmResult[]): ArmSummary {
  const spread = (figure: keyof ArmSummary) =>
    spreadOf(
      results.map((r) => r[figure]),
      WORST_END[figure],
    );
  return {
    returnPct: spread('returnPct'),
    sharpe: spread('sharpe'),
    maxDrawdownPct: spread('maxDrawdownPct'),
    swaps: spread('swaps'),
  };
}

/** How often one arm returned more than another over the same windows. */
export interface WinCount {
  readonly wins: number;
  readonly ties: number;
  /** Windows where both returns are defined. */
  readonly windows: number;
}

/** Counts the windows where `a`'s return beat `b`'s (a window where either is undefined is skipped). */
export function winCount(a: readonly ArmResult[], b: readonly ArmResult[]): WinCount {
  let wins = 0;
  let ties = 0;
  let windows = 0;
  for (let k = 0; k < Math.min(a.length, b.length); k++) {
    const x = a[k]!.returnPct;
    const y = b[k]!.returnPct;
    if (x === null || y === null) continue;
    windows++;
    if (x > y) wins++;
    else if (x === y) ties++;
  }
  return { wins, ties, windows };
}
