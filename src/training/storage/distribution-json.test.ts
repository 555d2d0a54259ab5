import { describe, expect, it } from 'vitest';
import type { Distribution } from '../distributions.js';
import {
  assertCompatible,
  decodeDistribution,
  encodeDistribution,
  toExternalValue,
  toInternalValue,
} from './distribution-json.js';

const ref = { table: 'trial_params', rowId: 'param_id=7' };

describe('encodeDistribution', () => {
  // Each expected string is copied from a trial_params row that Optuna 3.1 wrote (suggest_float / suggest_int / suggest_categorical).
  it.each<[Distribution, string]>([
    [
      { kind: 'float', low: 0.001, high: 0.1, log: true, step: null },
      '{"name": "FloatDistribution", "attributes": {"step": null, "low": 0.001, "high": 0.1, "log": true}}',
    ],
    [
      { kind: 'float', low: -1, high: 1, log: false, step: null },
      '{"name": "FloatDistribution", "attributes": {"step": null, "low": -1.0, "high": 1.0, "log": false}}',
    ],
    [
      { kind: 'float', low: 0, high: 1, log: false, step: 0.25 },
      '{"name": "FloatDistribution", "attributes": {"step": 0.25, "low": 0.0, "high": 1.0, "log": false}}',
    ],
    [
      { kind: 'int', low: 1, high: 10, log: false, step: 1 },
      '{"name": "IntDistribution", "attributes": {"log": false, "step": 1, "low": 1, "high": 10}}',
    ],
    [
      { kind: 'int', low: 2, high: 20, log: false, step: 2 },
      '{"name": "IntDistribution", "attributes": {"log": false, "step": 2, "low": 2, "high": 20}}',
    ],
    [
      { kind: 'int', low: 1, high: 1024, log: true, step: 1 },
      '{"name": "IntDistribution", "attributes": {"log": true, "step": 1, "low": 1, "high": 1024}}',
    ],
    [
      { kind: 'categorical', choices: ['adam', 'sgd', null, 1, 2.5, true] },
      '{"name": "CategoricalDistribution", "attributes": {"choices": ["adam", "sgd", null, 1, 2.5, true]}}',
    ],
  ])('writes %j as Optuna 3.1 does', (distribution, json) => {
    expect(encodeDistribution(distribution)).toBe(json);
    expect(decodeDistribution(json, ref)).toEqual(distribution);
  });
});

describe('decodeDistribution', () => {
  it.each<[string, Distribution]>([
    [
      '{"name": "UniformDistribution", "attributes": {"low": 0.0, "high": 2.0}}',
      { kind: 'float', low: 0, high: 2, log: false, step: null },
    ],
    [
      '{"name": "LogUniformDistribution", "attributes": {"low": 1e-05, "high": 1.0}}',
      { kind: 'float', low: 1e-5, high: 1, log: true, step: null },
    ],
    [
      '{"name": "DiscreteUniformDistribution", "attributes": {"low": 0.0, "high": 1.0, "q": 0.1}}',
      { kind: 'float', low: 0, high: 1, log: false, step: 0.1 },
    ],
    [
      '{"name": "IntUniformDistribution", "attributes": {"step": 3, "low": 0, "high": 9}}',
      { kind: 'int', low: 0, high: 9, log: false, step: 3 },
    ],
    [
      '{"name": "IntLogUniformDistribution", "attributes": {"step": 1, "low": 1, "high": 64}}',
      { kind: 'int', low: 1, high: 64, log: true, step: 1 },
    ],
    ['{"type": "int", "low": 1, "high": 5}', { kind: 'int', low: 1, high: 5, log: false, step: 1 }],
    ['{"type": "categorical", "choices": ["a"]}', { kind: 'categorical', choices: ['a'] }],
  ])('accepts the legacy form %s', (json, distribution) => {
    expect(decodeDistribution(json, ref)).toEqual(distribution);
  });

  it.each([
    '{"name": "BetaDistribution", "attributes": {}}',
    '{"name": "FloatDistribution", "attributes": {"low": "a", "high": 1.0}}',
    '{"name": "CategoricalDistribution", "attributes": {"choices": []}}',
    'not json',
  ])('refuses %s naming table, row and field', (json) => {
    expect(() => decodeDistribution(json, ref)).toThrow(
      /trial_params row param_id=7, field distribution_json/,
    );
  });
});

describe('internal and external parameter values', () => {
  const cat: Distribution = { kind: 'categorical', choices: ['adam', 'sgd', null, 1, true] };
  const stepped: Distribution = { kind: 'int', low: 2, high: 20, log: false, step: 2 };
  const grid: Distribution = { kind: 'float', low: 0, high: 1, log: false, step: 0.1 };

  it('stores a categorical as the index of its choice and reads the choice back', () => {
    expect(cat.choices.map((c) => toInternalValue('c', c, cat))).toEqual([0, 1, 2, 3, 4]);
    expect(toExternalValue(2, cat, ref)).toBeNull();
    expect(toExternalValue(4, cat, ref)).toBe(true);
  });

  it('stores numbers as themselves when they are in the distribution', () => {
    expect(toInternalValue('m', 14, stepped)).toBe(14);
    expect(toInternalValue('g', 0.30000000000000004, grid)).toBe(0.30000000000000004);
  });

  it.each<[Distribution, unknown]>([
    [stepped, 15],
    [stepped, 22],
    [stepped, 'x'],
    [grid, 0.35],
    [cat, 'rmsprop'],
  ])('refuses a value outside the distribution (%j, %j)', (distribution, value) => {
    expect(() => toInternalValue('p', value as number, distribution)).toThrow(
      expect.objectContaining({ code: 'STUDY_PARAM_OUT_OF_DISTRIBUTION' }),
    );
  });

  it('refuses a stored index outside the choices as an invalid row', () => {
    expect(() => toExternalValue(5, cat, ref)).toThrow(/param_id=7, field param_value/);
  });

  it('checks compatibility as Optuna does: same kind, same categorical choices', () => {
    expect(() => assertCompatible('p', stepped, { ...stepped, high: 40 })).not.toThrow();
    expect(() => assertCompatible('p', stepped, grid)).toThrow(
      expect.objectContaining({ code: 'STUDY_DISTRIBUTION_INCOMPATIBLE' }),
    );
    expect(() => assertCompatible('c', cat, { kind: 'categorical', choices: ['adam'] })).toThrow(/choices/);
  });
});
