// Checks a parameter's distribution before sampling: the invariants every sampler relies on.
import { ConfigError } from '../../core/errors.js';
import type { Choice, Distribution } from '../distributions.js';

/** Relative tolerance when checking that a float step divides `high - low` (decimal steps are inexact). */
const GRID_TOLERANCE = 1e-9;

function refuse(name: string, problem: string, context: Record<string, unknown> = {}): never {
  throw new ConfigError('SEARCH_SPACE_INVALID', `parameter "${name}": ${problem}`, {
    param: name,
    ...context,
  });
}

/** Number of grid steps between `low` and `high`, or null when `step` does not divide the range. */
export function gridSteps(low: number, high: number, step: number): number | null {
  const steps = Math.round((high - low) / step);
  const tolerance = GRID_TOLERANCE * Math.max(1, Math.abs(high - low) / step);
  return Math.abs((high - low) / step - steps) <= tolerance ? steps : null;
}

function isChoice(value: unknown): value is Choice {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  return typeof value === 'number' && Number.isFinite(value);
}

/**
 * Checks `distribution` for parameter `name` and returns it unchanged. Throws a ConfigError (code
 * SEARCH_SPACE_INVALID) naming the parameter and the problem: a bound that is not a finite number (an
 * integer for ints), low > high, a step that is not positive or does not divide high - low, log with
 * low <= 0 (low < 1 for ints), step with a log float, a step other than 1 with a log int, no choices,
 * a choice that is not a string, finite number, boolean or null, or a duplicated choice.
 * Unlike Optuna, which moves `high` down to the grid with a warning, a step that does not divide the
 * range is refused: the declared space is what is searched.
 */
export function checkDistribution(name: string, distribution: Distribution): Distribution {
  if (typeof name !== 'string' || name.length === 0) {
    throw new ConfigError('SEARCH_SPACE_INVALID', 'parameter name must be a non-empty string', {
      param: name,
    });
  }
  const kind: string = distribution.kind;
  if (kind !== 'float' && kind !== 'int' && kind !== 'categorical') {
    refuse(name, `distribution kind must be float, int or categorical, was ${kind}`);
  }
  if (distribution.kind === 'categorical') {
    const { choices } = distribution;
    if (!Array.isArray(choices) || choices.length === 0) refuse(name, 'choices must be a non-empty array');
    choices.forEach((choice, index) => {
      if (!isChoice(choice)) {
        refuse(
          name,
          `choice ${index} must be a string, finite number, boolean or null, was ${String(choice)}`,
        );
      }
      if (choices.indexOf(choice) !== index) refuse(name, `choice ${JSON.stringify(choice)} appears twice`);
    });
    return distribution;
  }
  const { low, high, log } = distribution;
  const isInt = distribution.kind === 'int';
  const numberKind = isInt ? 'an integer' : 'a finite number';
  const isValidBound = (v: number) => (isInt ? Number.isSafeInteger(v) : Number.isFinite(v));
  if (typeof low !== 'number' || !isValidBound(low)) refuse(name, `low must be ${numberKind}, was ${low}`);
  if (typeof high !== 'number' || !isValidBound(high))
    refuse(name, `high must be ${numberKind}, was ${high}`);
  if (low > high) refuse(name, `low must be <= high, was low ${low} > high ${high}`, { low, high });
  if (typeof log !== 'boolean') refuse(name, `log must be a boolean, was ${String(log)}`);
  if (distribution.kind === 'int') {
    const { step } = distribution;
    if (!Number.isSafeInteger(step) || step <= 0)
      refuse(name, `step must be a positive integer, was ${step}`);
    if (log && step !== 1) refuse(name, `step must be 1 when log is true, was ${step}`);
    if (log && low < 1) refuse(name, `log requires low >= 1, was ${low}`, { low });
    if ((high - low) % step !== 0) {
      refuse(name, `step ${step} must divide high - low (${high - low})`, { low, high, step });
    }
    return distribution;
  }
  const { step } = distribution;
  if (step !== null) {
    if (typeof step !== 'number' || !Number.isFinite(step) || step <= 0) {
      refuse(name, `step must be a positive finite number or null, was ${step}`);
    }
    if (log) refuse(name, 'step cannot be used with log (Optuna forbids it)', { step });
    if (gridSteps(low, high, step) === null) {
      refuse(name, `step ${step} must divide high - low (${high - low})`, { low, high, step });
    }
  }
  if (log && low <= 0) refuse(name, `log requires low > 0, was ${low}`, { low });
  return distribution;
}
