// Seeded return processes for the gate study: a paper trader's returns and challengers' paired excess
// returns with a known information ratio, heavy-tailed, volatility-clustered and slightly autocorrelated.
import { RandomStream } from '../../core/random.js';

/** Shape of the synthetic excess returns (per bar). */
export interface ExcessProcess {
  /** Standard deviation of the per-bar excess return over the paper trader (0.004 = 0.4 % per bar). */
  readonly excessSd: number;
  /** Standard deviation of the paper trader's own per-bar return. */
  readonly paperSd: number;
  /** Student-t degrees of freedom of the shocks (heavy tails; variance scaled to 1). */
  readonly dof: number;
  /** AR(1) coefficient of the excess shocks (autocorrelation that a plain t-test would ignore). */
  readonly ar: number;
  /** Persistence and spread of the log-volatility (volatility clustering). */
  readonly volPersistence: number;
  readonly volOfVol: number;
}

export const DEFAULT_EXCESS_PROCESS: ExcessProcess = {
  excessSd: 0.004,
  paperSd: 0.007,
  dof: 4,
  ar: 0.05,
  volPersistence: 0.98,
  volOfVol: 0.1,
};

/** Unit-variance Student-t shocks of a stream (fillStudentT scales them). */
function unitShocks(seed: number, key: string, n: number, dof: number): Float64Array {
  const out = new Float64Array(n);
  new RandomStream(seed, key).fillStudentT(out, dof);
  return out;
}

/**
 * A volatility-clustered, autocorrelated, heavy-tailed series of `bars` values with mean `mean` and
 * standard deviation `sd` (in the stationary limit): x_t = mean + sd v_t e_t, e an AR(1) of unit-variance
 * t shocks, v_t = exp(h_t) normalised so that E[v^2] = 1, h an AR(1) in logs.
 */
export function clusteredSeries(
  seed: number,
  key: string,
  bars: number,
  mean: number,
  sd: number,
  p: ExcessProcess,
  ar: number,
): Float64Array {
  const eta = unitShocks(seed, `${key}:shock`, bars, p.dof);
  const volShocks = new Float64Array(bars);
  new RandomStream(seed, `${key}:vol`).fillNormal(volShocks);
  const hVar = p.volOfVol ** 2 / (1 - p.volPersistence ** 2);
  const norm = Math.exp(-hVar); // E[exp(2h)] = exp(2 hVar) -> v = exp(h) / exp(hVar)
  const out = new Float64Array(bars);
  let e = eta[0]!;
  let h = Math.sqrt(hVar) * volShocks[0]!;
  const innov = Math.sqrt(1 - ar * ar);
  for (let t = 0; t < bars; t++) {
    if (t > 0) {
      e = ar * e + innov * eta[t]!;
      h = p.volPersistence * h + p.volOfVol * volShocks[t]!;
    }
    out[t] = mean + sd * Math.exp(h) * norm * e;
  }
  return out;
}

/** Equity curve (point 0 = start) of per-bar returns. */
export function equityOf(start: number, returns: ArrayLike<number>): Float64Array {
  const curve = new Float64Array(returns.length + 1);
  curve[0] = start;
  for (let t = 0; t < returns.length; t++) curve[t + 1] = curve[t]! * (1 + returns[t]!);
  return curve;
}

/**
 * One synthetic lifetime: the paper trader's curve and `challengers` curves whose per-bar return is the
 * paper trader's plus an excess series; challenger k's excess has annualised IR `irs[k]` (0 = no edge):
 * mean = IR / sqrt(P) x excessSd. Everything from (seed, lifetime) alone, so any split across workers
 * gives the same numbers.
 */
export function syntheticLifetime(
  seed: number,
  lifetime: string,
  bars: number,
  irs: readonly number[],
  periodsPerYear: number,
  p: ExcessProcess = DEFAULT_EXCESS_PROCESS,
): { paper: Float64Array; challengers: Float64Array[] } {
  const key = `gate-study:${lifetime}`;
  // the same lifetime key gives the same shocks whatever the IRs: power curves use common random numbers
  const paperReturns = clusteredSeries(seed, `${key}:paper`, bars, 0, p.paperSd, p, 0);
  const paper = equityOf(10_000, paperReturns);
  const challengers = irs.map((ir, k) => {
    const excess = clusteredSeries(
      seed,
      `${key}:challenger:${k}`,
      bars,
      (ir / Math.sqrt(periodsPerYear)) * p.excessSd,
      p.excessSd,
      p,
      p.ar,
    );
    const r = new Float64Array(bars);
    for (let t = 0; t < bars; t++) r[t] = paperReturns[t]! + excess[t]!;
    return equityOf(10_000, r);
  });
  return { paper, challengers };
}
