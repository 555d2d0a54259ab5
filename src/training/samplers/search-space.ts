// The internal (search) representation of a distribution: bounds, log transform, grids, categorical indices.
import type { Distribution, FloatDistribution, IntDistribution, ParamValue } from '../distributions.js';
import { gridSteps } from './check-distribution.js';

/** A float or int distribution. */
export type NumericDistribution = FloatDistribution | IntDistribution;

/**
 * The interval a numeric distribution is searched in, as Optuna's `_SearchSpaceTransform` and
 * `_ParzenEstimator` bound it: log distributions in log space, grids widened by half a step on each side
 * (so every grid point owns an equal share), log ints by half a unit before the log.
 */
export interface NumericSpace {
  /** Lower bound in internal space. */
  readonly low: number;
  /** Upper bound in internal space (> low). */
  readonly high: number;
  /** Grid step in internal space, or null when continuous (log ints are continuous here, then rounded). */
  readonly step: number | null;
}

/** The internal interval of a numeric distribution that is not single-valued (see `singleValue`). */
export function numericSpace(d: NumericDistribution): NumericSpace {
  if (d.log) {
    if (d.kind === 'int') return { low: Math.log(d.low - 0.5), high: Math.log(d.high + 0.5), step: null };
    return { low: Math.log(d.low), high: Math.log(d.high), step: null };
  }
  if (d.step !== null) return { low: d.low - d.step / 2, high: d.high + d.step / 2, step: d.step };
  return { low: d.low, high: d.high, step: null };
}

/** The only value a distribution can take (low == high, or one choice), else undefined. */
export function singleValue(d: Distribution): ParamValue | undefined {
  if (d.kind === 'categorical') return d.choices.length === 1 ? d.choices[0] : undefined;
  return d.low === d.high ? d.low : undefined;
}

/** Whether `value` is a value of `d`: in bounds, on the grid (1e-9 relative), an integer, a member. */
export function containsValue(d: Distribution, value: ParamValue): boolean {
  if (d.kind === 'categorical') return d.choices.includes(value);
  if (typeof value !== 'number' || !Number.isFinite(value) || value < d.low || value > d.high) return false;
  if (d.kind === 'int') return Number.isInteger(value) && (value - d.low) % d.step === 0;
  return d.step === null || gridSteps(d.low, value, d.step) !== null;
}

/**
 * The internal representation of a value of `d`: the log of a log distribution's value, a categorical's
 * choice index, else the value itself. Null when the value does not belong to `d` (`containsValue`).
 */
export function toInternal(d: Distribution, value: ParamValue): number | null {
  if (!containsValue(d, value)) return null;
  if (d.kind === 'categorical') return d.choices.indexOf(value);
  return d.log ? Math.log(value as number) : (value as number);
}

function decimalPlaces(x: number): number {
  const text = String(Math.abs(x));
  const [mantissa, exponent] = text.split('e');
  const fraction = mantissa.split('.')[1]?.length ?? 0;
  return Math.max(0, fraction - Number(exponent ?? 0));
}

/**
 * `low + k step`, rounded to the decimals of `low` and `step` when there are at most 15, so that a grid
 * 0.1, 0.2, 0.3 yields 0.3 and not 0.30000000000000004 (Optuna stores the latter).
 */
export function gridPoint(low: number, step: number, k: number): number {
  const value = low + k * step;
  const decimals = Math.max(decimalPlaces(low), decimalPlaces(step));
  return decimals <= 15 ? Number(value.toFixed(decimals)) : value;
}

function clamp(x: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, x));
}

/**
 * The external value of the internal point `x` (any real): exp for log distributions, rounded to the
 * grid (ints to integers), and clamped into [low, high]. Always a value `containsValue` accepts.
 */
export function fromInternal(d: NumericDistribution, x: number): number {
  if (d.kind === 'int') {
    if (d.log) return clamp(Math.round(Math.exp(x)), d.low, d.high);
    const k = clamp(Math.round((x - d.low) / d.step), 0, (d.high - d.low) / d.step);
    return d.low + k * d.step;
  }
  if (d.log) return clamp(Math.exp(x), d.low, d.high);
  if (d.step === null) return clamp(x, d.low, d.high);
  const steps = gridSteps(d.low, d.high, d.step) ?? Math.floor((d.high - d.low) / d.step);
  const k = clamp(Math.round((x - d.low) / d.step), 0, steps);
  return k === steps ? d.high : gridPoint(d.low, d.step, k);
}
