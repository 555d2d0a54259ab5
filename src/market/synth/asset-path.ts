// One asset of the synthetic market: beta x factor + GARCH idiosyncratic shock, range pull, OHLCV columns.

import { RandomStream } from '../../core/random.js';
import type { MarketData } from '../market-data.js';
import { type BarExtremes, barExtremes, priceScale, roundToScale } from './intrabar.js';
import { clipInnovation, type MarketFactorPath } from './market-factor.js';
import {
  ANCHOR_HALF_LIFE_HOURS,
  FACTOR_VOL_PER_HOUR,
  GARCH_VARIANCE_CAP_MULTIPLE,
  IDIO_GARCH_ALPHA,
  IDIO_GARCH_BETA,
  IDIO_T_DOF,
  RANGE_PULL_PER_HOUR,
  Regime,
  VOLUME_DECIMALS,
  VOLUME_LOG_NOISE_SD,
  VOLUME_RETURN_ELASTICITY,
  VOLUME_VOL_ELASTICITY,
} from './params.js';
import type { AssetProfile } from './universe.js';

/** E|z| of a unit-variance innovation (normal value): centres the volume response to |return|. */
const MEAN_ABS_STANDARD_SHOCK = Math.sqrt(2 / Math.PI);

const VOLUME_SCALE = 10 ** VOLUME_DECIMALS;

/** What one asset's simulation needs; `shocks`, `uniforms` and `normals` are scratch of >= bars, 2 x bars, bars. */
export interface AssetRun {
  readonly data: MarketData;
  /** Column of the asset in `data` (its index in the universe). */
  readonly column: number;
  readonly symbol: string;
  readonly profile: AssetProfile;
  readonly factor: MarketFactorPath;
  readonly seed: number;
  readonly barHours: number;
  readonly bars: number;
  readonly shocks: Float64Array;
  readonly uniforms: Float64Array;
  readonly normals: Float64Array;
}

/**
 * Simulates one asset and writes its open, high, low, close and volume into its column of
 * `run.data` for frames [0, bars). Streams: "asset:<symbol>:shock" (Student-t innovations),
 * "asset:<symbol>:range" (two uniforms per bar for high and low), "asset:<symbol>:volume" (normals).
 */
export function simulateAsset(run: AssetRun): void {
  const { data, column, profile, factor, barHours, bars } = run;
  const n = data.symbols.length;
  const shocks = run.shocks.subarray(0, bars);
  const uniforms = run.uniforms.subarray(0, 2 * bars);
  const normals = run.normals.subarray(0, bars);
  new RandomStream(run.seed, `asset:${run.symbol}:shock`).fillStudentT(shocks, IDIO_T_DOF);
  new RandomStream(run.seed, `asset:${run.symbol}:range`).fillUniform(uniforms);
  new RandomStream(run.seed, `asset:${run.symbol}:volume`).fillNormal(normals);

  const beta = profile.beta;
  const unconditional = profile.idioVolPerHour * profile.idioVolPerHour * barHours;
  const omega = unconditional * (1 - IDIO_GARCH_ALPHA - IDIO_GARCH_BETA);
  const cap = unconditional * GARCH_VARIANCE_CAP_MULTIPLE;
  const factorUnconditional = FACTOR_VOL_PER_HOUR * FACTOR_VOL_PER_HOUR * barHours;
  const referenceVol = Math.sqrt(beta * beta * factorUnconditional + unconditional);
  const notionalPerBar = profile.quoteVolumePerHour * barHours;
  const rangePull = 1 - Math.exp(-RANGE_PULL_PER_HOUR * barHours);
  const anchorWeight = 1 - Math.exp((-barHours * Math.LN2) / ANCHOR_HALF_LIFE_HOURS);
  const scale = priceScale(profile.startPrice);
  const { open, high, low, close, volume } = data;
  const extremes: BarExtremes = { highLog: 0, lowLog: 0 };

  let logPrice = Math.log(profile.startPrice);
  let anchor = logPrice;
  let price = profile.startPrice;
  let h = unconditional;
  for (let t = 0; t < bars; t++) {
    const volMultiplier = factor.volMultiplier[t]!;
    const idioShock = Math.sqrt(h) * clipInnovation(shocks[t]!);
    const shock = volMultiplier * (beta * factor.shock[t]! + idioShock);
    const barVol = volMultiplier * Math.sqrt(beta * beta * factor.variance[t]! + h);
    // Trend drift scaled by beta; in a range, an OU pull toward the moving anchor.
    const pull = factor.regimes[t] === Regime.Ranging ? rangePull * (logPrice - anchor) : 0;
    const logReturn = beta * factor.drift[t]! - pull + shock;
    barExtremes(uniforms[2 * t]!, uniforms[2 * t + 1]!, logReturn, barVol, extremes);

    logPrice += logReturn;
    const closeRaw = Math.exp(logPrice);
    const highRaw = Math.max(price * Math.exp(extremes.highLog), price, closeRaw);
    const lowRaw = Math.min(price * Math.exp(extremes.lowLog), price, closeRaw);
    const k = t * n + column;
    open[k] = roundToScale(price, scale);
    high[k] = roundToScale(highRaw, scale);
    low[k] = roundToScale(lowRaw, scale);
    close[k] = roundToScale(closeRaw, scale);

    // Lognormal volume, higher on large moves and in volatile spells.
    const logMultiplier =
      VOLUME_RETURN_ELASTICITY * (Math.abs(shock) / barVol - MEAN_ABS_STANDARD_SHOCK) +
      VOLUME_VOL_ELASTICITY * Math.log(barVol / referenceVol) +
      VOLUME_LOG_NOISE_SD * normals[t]! -
      (VOLUME_LOG_NOISE_SD * VOLUME_LOG_NOISE_SD) / 2;
    volume[k] = roundToScale((notionalPerBar / closeRaw) * Math.exp(logMultiplier), VOLUME_SCALE);

    price = closeRaw;
    anchor += anchorWeight * (logPrice - anchor);
    const next = omega + IDIO_GARCH_ALPHA * idioShock * idioShock + IDIO_GARCH_BETA * h;
    h = Math.min(next, cap);
  }
}
