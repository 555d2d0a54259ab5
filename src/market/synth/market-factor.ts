// The market-wide part of the synthetic market: regime path, slow volatility level and the GARCH market factor.

import { RandomStream } from '../../core/random.js';
import {
  FACTOR_GARCH_ALPHA,
  FACTOR_GARCH_BETA,
  FACTOR_T_DOF,
  FACTOR_VOL_PER_HOUR,
  GARCH_VARIANCE_CAP_MULTIPLE,
  INNOVATION_CLIP_SD,
  REGIME_VOL_MULTIPLIER,
  SLOW_VOL_HALF_LIFE_HOURS,
  SLOW_VOL_LOG_SD,
} from './params.js';
import { simulateRegimes } from './regimes.js';

/** Everything all assets share, per bar. */
export interface MarketFactorPath {
  /** Regime code per bar (see `Regime`). */
  readonly regimes: Uint8Array;
  /** Market drift per bar in log units (before each asset's beta), trend strength included. */
  readonly drift: Float64Array;
  /** Market-wide volatility multiplier per bar: regime multiplier x slow volatility level. */
  readonly volMultiplier: Float64Array;
  /** Market factor shock per bar in log units, before `volMultiplier`. */
  readonly shock: Float64Array;
  /** Conditional variance of `shock` per bar (GARCH(1,1)), log units squared. */
  readonly variance: Float64Array;
}

/** Clips a standardised innovation to +-INNOVATION_CLIP_SD. */
export function clipInnovation(z: number): number {
  return Math.min(INNOVATION_CLIP_SD, Math.max(-INNOVATION_CLIP_SD, z));
}

/**
 * Simulates the regime path (see `simulateRegimes`), the slow volatility level and the market
 * factor for `bars` bars of `barHours` hours. Streams: "market:vol" (normals), "market:factor" (t).
 */
export function simulateMarketFactor(seed: number, bars: number, barHours: number): MarketFactorPath {
  const { regimes, drift } = simulateRegimes(seed, bars, barHours);

  // Slow log-vol level v: stationary AR(1), N(0, sd^2); exp(v - sd^2) has a mean square of 1.
  const volMultiplier = new Float64Array(bars);
  new RandomStream(seed, 'market:vol').fillNormal(volMultiplier);
  const persistence = Math.exp((-barHours * Math.LN2) / SLOW_VOL_HALF_LIFE_HOURS);
  const innovationSd = SLOW_VOL_LOG_SD * Math.sqrt(1 - persistence * persistence);
  const meanSquareCorrection = SLOW_VOL_LOG_SD * SLOW_VOL_LOG_SD;
  let level = SLOW_VOL_LOG_SD * volMultiplier[0]!;
  for (let t = 0; t < bars; t++) {
    if (t > 0) level = persistence * level + innovationSd * volMultiplier[t]!;
    volMultiplier[t] = REGIME_VOL_MULTIPLIER[regimes[t]!]! * Math.exp(level - meanSquareCorrection);
  }

  const shock = new Float64Array(bars);
  const variance = new Float64Array(bars);
  new RandomStream(seed, 'market:factor').fillStudentT(shock, FACTOR_T_DOF);
  const unconditional = FACTOR_VOL_PER_HOUR * FACTOR_VOL_PER_HOUR * barHours;
  const omega = unconditional * (1 - FACTOR_GARCH_ALPHA - FACTOR_GARCH_BETA);
  const cap = unconditional * GARCH_VARIANCE_CAP_MULTIPLE;
  let h = unconditional;
  for (let t = 0; t < bars; t++) {
    const e = Math.sqrt(h) * clipInnovation(shock[t]!);
    shock[t] = e;
    variance[t] = h;
    const next = omega + FACTOR_GARCH_ALPHA * e * e + FACTOR_GARCH_BETA * h;
    h = Math.min(next, cap);
  }
  return { regimes, drift, volMultiplier, shock, variance };
}
