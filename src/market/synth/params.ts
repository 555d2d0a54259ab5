// Parameters of the synthetic market model, in per-hour units; docs/synthetic-market.md explains each one.

/** Regime codes stored in the regime path (`Uint8Array`). */
export const Regime = {
  /** Persistent positive drift: momentum works. */
  TrendingUp: 0,
  /** Persistent negative drift with higher volatility: momentum (short or flat) works. */
  TrendingDown: 1,
  /** No drift, Ornstein-Uhlenbeck pull toward a moving anchor: mean reversion works. */
  Ranging: 2,
} as const;

/** A regime code: 0 trending-up, 1 trending-down, 2 ranging. */
export type Regime = (typeof Regime)[keyof typeof Regime];

/** Regime names by code, for reports and docs. */
export const REGIME_NAMES: readonly string[] = Object.freeze(['trending-up', 'trending-down', 'ranging']);

/** Number of regimes. */
export const REGIME_COUNT = 3;

/** Mean time spent in each regime before switching, in hours (durations are geometric). */
export const REGIME_MEAN_DURATION_HOURS: readonly number[] = [120, 72, 150];

/**
 * Where a regime goes when it ends: row = from, column = to (rows sum to 1, diagonal 0).
 * Trends mostly end in a range; a range breaks out up or down with equal odds.
 */
export const REGIME_EXIT_PROBABILITIES: readonly (readonly number[])[] = [
  [0, 0.4, 0.6],
  [0.4, 0, 0.6],
  [0.5, 0.5, 0],
];

/** Market-wide log drift per hour in each regime (multiplied by each asset's beta). */
export const REGIME_DRIFT_PER_HOUR: readonly number[] = [0.0005, -0.0007, 0];

/**
 * Each trend episode draws its own strength, uniform in [1 - x, 1 + x], that scales the regime drift,
 * so that no two trends look alike.
 */
export const TREND_STRENGTH_SPREAD = 0.5;

/** Volatility multiplier per regime: sell-offs are more volatile than rallies, ranges are calmest. */
export const REGIME_VOL_MULTIPLIER: readonly number[] = [0.9, 1.25, 0.85];

/** Ranging regime: fraction of the gap to the anchor closed per hour (OU speed, 1/h). */
export const RANGE_PULL_PER_HOUR = 0.04;

/** Half-life of the moving anchor (an EMA of the log price) the ranging regime pulls toward, hours. */
export const ANCHOR_HALF_LIFE_HOURS = 48;

/**
 * Slow market-wide volatility level: log-vol follows an AR(1) with this half-life, hours. It gives
 * the weeks-long calm and stormy spells that a GARCH(1,1) alone (memory of a day or two) lacks.
 */
export const SLOW_VOL_HALF_LIFE_HOURS = 240;

/** Stationary standard deviation of the slow log-volatility level (0.3: the level's 1-sd band is x0.74 to x1.35). */
export const SLOW_VOL_LOG_SD = 0.3;

/** Standard deviation of the common market factor's hourly log return (unconditional, before regimes). */
export const FACTOR_VOL_PER_HOUR = 0.0065;

/** GARCH(1,1) of the market factor: weight of the last squared shock. */
export const FACTOR_GARCH_ALPHA = 0.07;

/** GARCH(1,1) of the market factor: weight of the last variance. */
export const FACTOR_GARCH_BETA = 0.9;

/** Degrees of freedom of the factor's Student-t innovations (scaled to unit variance). */
export const FACTOR_T_DOF = 4;

/** GARCH(1,1) of each idiosyncratic component: weight of the last squared shock. */
export const IDIO_GARCH_ALPHA = 0.05;

/** GARCH(1,1) of each idiosyncratic component: weight of the last variance. */
export const IDIO_GARCH_BETA = 0.92;

/** Degrees of freedom of the idiosyncratic Student-t innovations (scaled to unit variance). */
export const IDIO_T_DOF = 5;

/** Ceiling of a GARCH variance, as a multiple of its unconditional variance (volatility at most 5x). */
export const GARCH_VARIANCE_CAP_MULTIPLE = 25;

/** Standardised innovations are clipped to +-this many standard deviations (a guard, almost never hit). */
export const INNOVATION_CLIP_SD = 12;

/** Volume: log-volume rises by this per unit of |standardised return| above its mean. */
export const VOLUME_RETURN_ELASTICITY = 0.35;

/** Volume: log-volume rises by this per unit of log(volatility / unconditional volatility). */
export const VOLUME_VOL_ELASTICITY = 1;

/** Volume: standard deviation of the lognormal noise of log-volume. */
export const VOLUME_LOG_NOISE_SD = 0.4;

/** Significant digits of the start price that set each symbol's price decimals (its tick). */
export const PRICE_SIGNIFICANT_DIGITS = 7;

/** Decimals of volume (in base units). */
export const VOLUME_DECIMALS = 4;
