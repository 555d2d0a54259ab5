// The hidden Markov regime chain (trending-up, trending-down, ranging) stepped once per bar.

import { RandomStream } from '../../core/random.js';
import {
  REGIME_COUNT,
  REGIME_DRIFT_PER_HOUR,
  REGIME_EXIT_PROBABILITIES,
  REGIME_MEAN_DURATION_HOURS,
  type Regime,
  TREND_STRENGTH_SPREAD,
} from './params.js';

/** Per-bar transition rules of the regime chain for one bar length. */
export interface RegimeChain {
  /** Probability of staying in each regime for one more bar: exp(-barHours / meanDurationHours). */
  readonly stayProbability: readonly number[];
  /** Long-run share of bars in each regime. */
  readonly stationaryShares: readonly number[];
}

/** The chain for bars of `barHours` hours (1 for 1h bars). Mean durations are kept in hours. */
export function createRegimeChain(barHours: number): RegimeChain {
  const stayProbability = REGIME_MEAN_DURATION_HOURS.map((hours) => Math.exp(-barHours / hours));
  // Stationary law of the jump chain (which regime comes next) by power iteration of the lazy
  // chain (I + Q) / 2, which converges whatever the period of Q.
  let jump = [1 / 3, 1 / 3, 1 / 3];
  for (let iteration = 0; iteration < 200; iteration++) {
    const next = [jump[0]! / 2, jump[1]! / 2, jump[2]! / 2];
    for (let from = 0; from < REGIME_COUNT; from++)
      for (let to = 0; to < REGIME_COUNT; to++)
        next[to]! += (jump[from]! * REGIME_EXIT_PROBABILITIES[from]![to]!) / 2;
    jump = next;
  }
  // Time share = visits x mean stay (in bars, 1 / (1 - stay)).
  const weights = jump.map((p, r) => p / (1 - stayProbability[r]!));
  const total = weights[0]! + weights[1]! + weights[2]!;
  return { stayProbability, stationaryShares: weights.map((w) => w / total) };
}

/** The regime of the first bar, drawn from the stationary shares with a uniform `u` in [0, 1). */
export function initialRegime(chain: RegimeChain, u: number): Regime {
  let cumulative = 0;
  for (let r = 0; r < REGIME_COUNT - 1; r++) {
    cumulative += chain.stationaryShares[r]!;
    if (u < cumulative) return r as Regime;
  }
  return (REGIME_COUNT - 1) as Regime;
}

/**
 * The regime of the next bar from a single uniform `u` in [0, 1): stay when u < stay probability,
 * otherwise u, rescaled to [0, 1), picks the destination from the exit probabilities.
 */
export function nextRegime(chain: RegimeChain, current: Regime, u: number): Regime {
  const stay = chain.stayProbability[current]!;
  if (u < stay) return current;
  const v = (u - stay) / (1 - stay);
  const exits = REGIME_EXIT_PROBABILITIES[current]!;
  let cumulative = 0;
  let last: Regime = current;
  for (let r = 0; r < REGIME_COUNT; r++) {
    if (r === current || exits[r] === 0) continue;
    last = r as Regime;
    cumulative += exits[r]!;
    if (v < cumulative) return last;
  }
  return last;
}

/** The regime path and the market drift it implies. */
export interface RegimePath {
  /** Regime code per bar (see `Regime`). */
  readonly regimes: Uint8Array;
  /** Market drift per bar in log units (before each asset's beta), trend strength included. */
  readonly drift: Float64Array;
}

/**
 * Simulates the regime chain for `bars` bars of `barHours` hours, starting from its stationary law.
 * Each regime episode draws a strength, uniform in 1 +- TREND_STRENGTH_SPREAD, that scales its drift.
 * Streams: "market:regime" (one uniform per bar), "market:trend" (one uniform per episode).
 */
export function simulateRegimes(seed: number, bars: number, barHours: number): RegimePath {
  const chain = createRegimeChain(barHours);
  const switches = new Float64Array(bars);
  new RandomStream(seed, 'market:regime').fillUniform(switches);
  const trendRandom = new RandomStream(seed, 'market:trend');
  const regimes = new Uint8Array(bars);
  const drift = new Float64Array(bars);
  let regime = initialRegime(chain, switches[0]!);
  let strength = 1 + TREND_STRENGTH_SPREAD * (2 * trendRandom.uniform() - 1);
  for (let t = 0; t < bars; t++) {
    if (t > 0) {
      const next = nextRegime(chain, regime, switches[t]!);
      if (next !== regime) strength = 1 + TREND_STRENGTH_SPREAD * (2 * trendRandom.uniform() - 1);
      regime = next;
    }
    regimes[t] = regime;
    drift[t] = REGIME_DRIFT_PER_HOUR[regime]! * barHours * strength;
  }
  return { regimes, drift };
}
