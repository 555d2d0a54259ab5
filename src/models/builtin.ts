// Resolves `builtin:NAME[?key=value&...]` model specs to rule policies, with validated parameters.
import { z } from 'zod';
import { ConfigError } from '../core/errors.js';
import { parseConfig } from '../core/schema-issues.js';
import type { Policy } from './policy.js';
import { createBuyAndHold, createEqualWeight } from './rules/buy-and-hold.js';
import { RULE_STRATEGIES, type RuleStrategy } from './rules/registry.js';

const NoParams = z.strictObject({});

const BUILTINS: Record<string, Omit<RuleStrategy, 'search'>> = {
  'buy-and-hold': {
    description: 'all of the first symbol (subject to cap and reserve), held',
    params: NoParams,
    create: (symbols) => createBuyAndHold(symbols),
  },
  'equal-weight': {
    description: '1/n of every symbol, bought once and held',
    params: NoParams,
    create: (symbols) => createEqualWeight(symbols),
  },
  ...RULE_STRATEGIES,
};

/** Names of the builtin policies with a one-line description each, for help texts. */
export function describeBuiltins(): string[] {
  const width = Math.max(...Object.keys(BUILTINS).map((k) => k.length)) + 'builtin:'.length;
  return Object.entries(BUILTINS).map(
    ([name, entry]) => `${`builtin:${name}`.padEnd(width)}  ${entry.description}`,
  );
}

/**
 * A policy for a spec such as `builtin:sma-cross?fast=12&slow=48`. Numeric-looking values become numbers.
 * Throws ConfigError for an unknown name or an invalid parameter (naming it and what is accepted).
 */
export function createBuiltinPolicy(
  spec: string,
  symbols: readonly string[],
  timeframeMs = 3_600_000,
): Policy {
  const match = /^builtin:([a-z0-9-]+)(?:\?(.*))?$/.exec(spec);
  const entry = match ? BUILTINS[match[1]!] : undefined;
  if (!match || !entry)
    throw new ConfigError(
      'MODEL_UNKNOWN',
      `unknown model "${spec}"; builtin models are ${Object.keys(BUILTINS)
        .map((k) => `builtin:${k}`)
        .join(', ')}`,
      { spec },
    );
  const raw: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(match[2] ?? '')) {
    raw[key] = value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : value;
  }
  const params = parseConfig(entry.params, raw, 'MODEL_PARAMS_INVALID', `invalid parameters for ${spec}`, {
    context: { spec },
  });
  return entry.create(symbols, timeframeMs, params);
}
