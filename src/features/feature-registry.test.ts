// The feature registry: the documented warm-ups and the errors for unknown, duplicate or no features.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../core/errors.js';
import { FEATURE_NAMES, featureDefinition, maxWarmUp, resolveFeatures } from './feature-registry.js';

describe('feature registry', () => {
  it('has the twelve features with the warm-ups documented in docs/features.md', () => {
    const warmUps = Object.fromEntries(FEATURE_NAMES.map((n) => [n, featureDefinition(n).warmUp]));
    expect(warmUps).toEqual({
      ret_1: 1,
      ret_4: 4,
      ret_24: 24,
      macd: 25,
      macd_signal: 33,
      macd_hist: 33,
      rsi_14: 14,
      cci_14: 13,
      dx_14: 14,
      atr_14: 13,
      vol_24: 24,
      volume_z_24: 24,
    });
    expect(maxWarmUp(FEATURE_NAMES)).toBe(33);
    expect(maxWarmUp(['ret_1', 'rsi_14'])).toBe(14);
  });

  it('refuses an unknown feature, naming it and listing the known ones', () => {
    const error = (() => {
      try {
        resolveFeatures(['ret_1', 'rsi_41']);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).code).toBe('FEATURE_UNKNOWN');
    expect((error as Error).message).toMatch(
      /unknown feature "rsi_41"; known features: ret_1, ret_4, .*volume_z_24/,
    );
    expect(() => maxWarmUp(['nope'])).toThrow(/unknown feature "nope"/);
  });

  it('refuses a duplicate feature and an empty list', () => {
    expect(() => resolveFeatures(['ret_1', 'ret_1'])).toThrow(/feature "ret_1" is listed twice/);
    expect(() => resolveFeatures([])).toThrow(/at least one feature is needed/);
  });
});
