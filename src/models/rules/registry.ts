// The rule strategies whose parameters are hyperparameters: name -> parameter schema and factory.
import type { z } from 'zod';
import type { Policy } from '../policy.js';
import { createMomentum, MomentumParamsSchema } from './momentum.js';
import { createRsiReversion, RsiReversionParamsSchema } from './rsi-reversion.js';
import { createSmaCross, SmaCrossParamsSchema } from './sma-cross.js';

export interface RuleStrategy {
  readonly description: string;
  /** Validates (and defaults) the parameters; errors name the parameter. */
  readonly params: z.ZodType<Record<string, unknown>>;
  create(symbols: readonly string[], timeframeMs: number, params: Record<string, unknown>): Policy;
}

const asRecord = <T extends z.ZodType>(schema: T) => schema as unknown as z.ZodType<Record<string, unknown>>;

export const RULE_STRATEGIES = {
  'sma-cross': {
    description: 'long while SMA(fast) > SMA(slow); params fast, slow, weight',
    params: asRecord(SmaCrossParamsSchema),
    create: (symbols, _tf, params) => createSmaCross(symbols, SmaCrossParamsSchema.parse(params)),
  },
  momentum: {
    description:
      'time-series momentum with volatility targeting; params lookback, volWindow, targetVol, threshold',
    params: asRecord(MomentumParamsSchema),
    create: (symbols, tf, params) => createMomentum(symbols, tf, MomentumParamsSchema.parse(params)),
  },
  'rsi-reversion': {
    description: 'buy when RSI < entry, sell when RSI > exit; params period, entry, exit, weight',
    params: asRecord(RsiReversionParamsSchema),
    create: (symbols, _tf, params) => createRsiReversion(symbols, RsiReversionParamsSchema.parse(params)),
  },
} satisfies Record<string, RuleStrategy>;

export type RuleName = keyof typeof RULE_STRATEGIES;
export const RULE_NAMES = Object.keys(RULE_STRATEGIES) as RuleName[];

export function isRuleName(name: string): name is RuleName {
  return Object.hasOwn(RULE_STRATEGIES, name);
}
