// trial_params.distribution_json and param_value as Optuna 3.x writes them, and Optuna's legacy forms on read.
import { DataError } from '../../core/errors.js';
import { formatIssues } from '../../core/schema-issues.js';
import { type Distribution, DistributionSchema, type ParamValue } from '../distributions.js';
import { type PythonJsonValue, parsePythonJson, pythonJsonDumps } from './python-json.js';
import { invalidRow, type RowRef } from './row-fields.js';

/**
 * Checks what Optuna's distribution constructors check (low <= high, log needs low > 0 (float) / >= 1
 * (int), no step with a log float, int log needs step 1). Throws DataError STUDY_DISTRIBUTION_INVALID.
 */
export function assertValidDistribution(name: string, distribution: Distribution): void {
  const parsed = DistributionSchema.safeParse(distribution);
  const problem = !parsed.success
    ? formatIssues(parsed.error, distribution)
    : distributionProblem(distribution);
  if (problem !== null) {
    throw new DataError('STUDY_DISTRIBUTION_INVALID', `distribution of parameter ${name}: ${problem}`, {
      param: name,
      distribution,
    });
  }
}

function distributionProblem(d: Distribution): string | null {
  if (d.kind === 'categorical') return null;
  if (d.low > d.high) return `low must be <= high, was low=${d.low} high=${d.high}`;
  if (d.kind === 'float' && d.log && d.step !== null) return 'step must be null when log is true';
  if (d.kind === 'float' && d.log && d.low <= 0) return `low must be > 0 when log is true, was ${d.low}`;
  if (d.kind === 'int' && d.log && d.step !== 1) return `step must be 1 when log is true, was ${d.step}`;
  if (d.kind === 'int' && d.log && d.low < 1) return `low must be >= 1 when log is true, was ${d.low}`;
  return null;
}

/**
 * distribution_json exactly as Optuna 3.1's `distribution_to_json` writes it, attribute order included:
 * `{"name": "FloatDistribution", "attributes": {"step": null, "low": 0.001, "high": 0.1, "log": true}}`
 * (float bounds always as Python floats), `{"name": "IntDistribution", "attributes": {"log": false,
 * "step": 1, "low": 1, "high": 10}}`, `{"name": "CategoricalDistribution", "attributes": {"choices": [...]}}`.
 */
export function encodeDistribution(d: Distribution): string {
  switch (d.kind) {
    case 'float':
      return `{"name": "FloatDistribution", "attributes": ${pythonJsonDumps({ step: d.step, low: d.low, high: d.high, log: d.log }, 'float')}}`;
    case 'int':
      return pythonJsonDumps({
        name: 'IntDistribution',
        attributes: { log: d.log, step: d.step, low: d.low, high: d.high },
      });
    case 'categorical':
      return pythonJsonDumps({ name: 'CategoricalDistribution', attributes: { choices: d.choices } });
  }
}

type Attributes = Readonly<Record<string, PythonJsonValue>>;

/** Maps Optuna's class names (current and deprecated) and attributes to our Distribution, unvalidated. */
function fromNamed(name: string, a: Attributes): unknown {
  switch (name) {
    case 'FloatDistribution':
      return { kind: 'float', low: a.low, high: a.high, log: a.log ?? false, step: a.step ?? null };
    case 'UniformDistribution':
      return { kind: 'float', low: a.low, high: a.high, log: false, step: null };
    case 'LogUniformDistribution':
      return { kind: 'float', low: a.low, high: a.high, log: true, step: null };
    case 'DiscreteUniformDistribution':
      return { kind: 'float', low: a.low, high: a.high, log: false, step: a.q };
    case 'IntDistribution':
      return { kind: 'int', low: a.low, high: a.high, log: a.log ?? false, step: a.step ?? 1 };
    case 'IntUniformDistribution':
      return { kind: 'int', low: a.low, high: a.high, log: false, step: a.step ?? 1 };
    case 'IntLogUniformDistribution':
      return { kind: 'int', low: a.low, high: a.high, log: true, step: 1 };
    case 'CategoricalDistribution':
      return { kind: 'categorical', choices: a.choices };
    default:
      return undefined;
  }
}

/** Optuna's abbreviated form `{"type": "float", "low": ..., "high": ..., "step"?, "log"?}` (also accepted by it). */
function fromAbbreviated(a: Attributes): unknown {
  if (a.type === 'categorical') return { kind: 'categorical', choices: a.choices };
  if (a.type === 'float')
    return { kind: 'float', low: a.low, high: a.high, log: a.log ?? false, step: a.step ?? null };
  if (a.type === 'int')
    return { kind: 'int', low: a.low, high: a.high, log: a.log ?? false, step: a.step ?? 1 };
  return undefined;
}

const isObject = (v: PythonJsonValue | undefined): v is Attributes =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Decodes distribution_json written by any Optuna 3.x (or our encoder), including the deprecated classes
 * UniformDistribution, LogUniformDistribution, DiscreteUniformDistribution, IntUniformDistribution and
 * IntLogUniformDistribution. Anything else is a StateError naming the row.
 */
export function decodeDistribution(text: string, ref: RowRef): Distribution {
  const field = 'distribution_json';
  let json: PythonJsonValue;
  try {
    json = parsePythonJson(text);
  } catch (error) {
    throw invalidRow(ref, field, 'JSON', text, error);
  }
  let candidate: unknown;
  if (isObject(json) && typeof json.name === 'string' && isObject(json.attributes)) {
    candidate = fromNamed(json.name, json.attributes);
  } else if (isObject(json) && typeof json.type === 'string') {
    candidate = fromAbbreviated(json);
  }
  const parsed = DistributionSchema.safeParse(candidate);
  if (!parsed.success) throw invalidRow(ref, field, 'an Optuna distribution', text, parsed.error);
  return parsed.data;
}

/** Whether a stored internal value lies in the distribution (Optuna's `_contains`). */
export function containsInternal(d: Distribution, internal: number): boolean {
  switch (d.kind) {
    case 'float': {
      if (!(d.low <= internal && internal <= d.high)) return false;
      if (d.step === null) return true;
      const k = (internal - d.low) / d.step;
      return Math.abs(k - Math.round(k)) < 1e-8;
    }
    case 'int':
      return d.low <= internal && internal <= d.high && (internal - d.low) % d.step === 0;
    case 'categorical':
      return Number.isInteger(internal) && internal >= 0 && internal < d.choices.length;
  }
}

/**
 * param_value for an external value: the number itself for float/int, the index of the choice for a
 * categorical. Throws DataError STUDY_PARAM_OUT_OF_DISTRIBUTION when the value is not in the distribution.
 */
export function toInternalValue(name: string, value: ParamValue, d: Distribution): number {
  let internal: number | undefined;
  if (d.kind === 'categorical') {
    const index = d.choices.indexOf(value);
    if (index >= 0) internal = index;
  } else if (typeof value === 'number' && (d.kind === 'float' || Number.isInteger(value))) {
    internal = value;
  }
  if (internal === undefined || !containsInternal(d, internal)) {
    throw new DataError(
      'STUDY_PARAM_OUT_OF_DISTRIBUTION',
      `parameter ${name} = ${JSON.stringify(value)} is not in its distribution ${encodeDistribution(d)}`,
      { param: name, value, distribution: d },
    );
  }
  return internal;
}

/** The external value of a stored param_value (Optuna's `to_external_repr`); out of range is an invalid row. */
export function toExternalValue(internal: number, d: Distribution, ref: RowRef): ParamValue {
  if (!containsInternal(d, internal)) {
    throw invalidRow(ref, 'param_value', `a value inside ${encodeDistribution(d)}`, internal);
  }
  if (d.kind === 'categorical') return d.choices[internal];
  return internal;
}

/**
 * Optuna's `check_distribution_compatibility`: the same parameter name keeps its kind across a study,
 * and a categorical keeps its choices. Throws DataError STUDY_DISTRIBUTION_INCOMPATIBLE.
 */
export function assertCompatible(name: string, previous: Distribution, next: Distribution): void {
  let problem: string | null = null;
  if (previous.kind !== next.kind) problem = `kind ${next.kind} differs from the study's ${previous.kind}`;
  else if (
    previous.kind === 'categorical' &&
    next.kind === 'categorical' &&
    encodeDistribution(previous) !== encodeDistribution(next)
  ) {
    problem = `choices ${JSON.stringify(next.choices)} differ from the study's ${JSON.stringify(previous.choices)}`;
  }
  if (problem !== null) {
    throw new DataError('STUDY_DISTRIBUTION_INCOMPATIBLE', `parameter ${name}: ${problem}`, {
      param: name,
      previous,
      next,
    });
  }
}
