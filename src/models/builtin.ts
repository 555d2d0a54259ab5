// Resolves `builtin:NAME[?key=value&...]` model specs to rule policies, with validated parameters.
import { z } from 'zod';
import { ConfigError } from '../core/errors.js';
import type { Policy } from './policy.js';
import { createBuyAndHold, createEqualWeight } from './rules/buy-and-hold.js';
import { createSmaCross, SmaCrossParamsSchema } from './rules/sma-cross.js';

interface BuiltinEntry {
  description: string;
  params: z.ZodType<Record<string, unknown>>;
  create(symbols: readonly string[], params: Record<string, unknown>): Policy;
}

const NoParams = z.object({}).strict();

const BUILTINS: Record<string, BuiltinEntry> = {
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
  'sma-cross': {
    description: 'long while SMA(fast) > SMA(slow); params fast, slow, weight',
    params: SmaCrossParamsSchema as unknown as z.ZodType<Record<string, unknown>>,
    create: (symbols, params) => createSmaCross(symbols, SmaCrossParamsSchema.parse(params)),
  },
};

/** Names of the builtin policies with a one-line description each, for help texts. */
export function describeBuiltins(): string[] {
  return Object.entries(BUILTINS).map(([name, entry]) => `builtin:${name}  ${entry.description}`);
}

/**
 * A policy for a spec such as `builtin:sma-cross?fast=12&slow=48`. Numeric-looking values become numbers.
 * Throws ConfigError for an unknown name or an invalid parameter (naming it and what is accepted).
 */
export function createBuiltinPolicy(spec: string, symbols: readonly string[]): Policy {
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
  const parsed = entry.params.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((i) => `${i.path.join('.') || 'params'}: ${i.message}`)
      .join('; ');
    throw new ConfigError('MODEL_PARAMS_INVALID', `invalid parameters for ${spec}: ${problems}`, { spec });
  }
  return entry.create(symbols, parsed.data);
}
