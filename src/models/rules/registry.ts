// The rule strategies whose parameters are hyperparameters: name -> parameter schema, factory, search space.
import type { z } from 'zod';
import type { ParamSuggester } from '../kind.js';
import type { Policy } from '../policy.js';
import { createMomentum, MomentumParamsSchema } from './momentum.js';
import { createRsiReversion, RsiReversionParamsSchema } from './rsi-reversion.js';
import { createSmaCross, SmaCrossParamsSchema } from './sma-cross.js';

export interface RuleStrategy {
  readonly description: string;
  /** Validates (and defaults) the parameters; errors name the parameter. */
  readonly params: z.ZodType<Record<string, unknown>>;
  create(symbols: readonly string[], timeframeMs: number, params: Record<string, unknown>): Policy;
  /** Its search space for studies: samples the parameters through `trial` (see `train --kind`). */
  search(trial: ParamSuggester): Record<string, unknown>;
}

const asRecord = <T extends z.ZodType>(schema: T) => schema as unknown as z.ZodType<Record<string, unknown>>;

export const RULE_STRATEGIES = {
  'sma-cross': {
    description: 'long while SMA(fast) > SMA(slow); params fast, slow, weight',
    params: asRecord(SmaCrossParamsSchema),
    create: (symbols, _tf, params) => createSmaCross(symbols, SmaCrossParamsSchema.parse(params)),
    search: (trial) => {
      const fast = trial.suggestInt('fast', 4, 96, { log: true });
      // A ratio rather than a second range: keeps slow > fast without a search space that moves.
      const slowMultiple = trial.suggestFloat('slowMultiple', 1.5, 8);
      return { fast, slow: Math.max(fast + 1, Math.round(fast * slowMultiple)) };
    },
  },
  momentum: {
    description:
      'time-series momentum with volatility targeting; params lookback, volWindow, targetVol, threshold',
    params: asRecord(MomentumParamsSchema),
    create: (symbols, tf, params) => createMomentum(symbols, tf, MomentumParamsSchema.parse(params)),
    search: (trial) => ({
      lookback: trial.suggestInt('lookback', 12, 720, { log: true }),
      volWindow: trial.suggestInt('volWindow', 24, 720, { log: true }),
      targetVol: trial.suggestFloat('targetVol', 0.1, 2, { log: true }),
      threshold: trial.suggestFloat('threshold', 0, 0.1),
      resizeTolerance: trial.suggestFloat('resizeTolerance', 0.1, 0.6),
    }),
  },
  'rsi-reversion': {
    description: 'buy when RSI < entry, sell when RSI > exit; params period, entry, exit, weight',
    params: asRecord(RsiReversionParamsSchema),
    create: (symbols, _tf, params) => createRsiReversion(symbols, RsiReversionParamsSchema.parse(params)),
    search: (trial) => {
      const entry = trial.suggestFloat('entry', 10, 40);
      return {
        period: trial.suggestInt('period', 4, 48, { log: true }),
        entry,
        exit: Math.min(95, entry + trial.suggestFloat('exitGap', 5, 40)),
      };
    },
  },
} satisfies Record<string, RuleStrategy>;

export type RuleName = keyof typeof RULE_STRATEGIES;
export const RULE_NAMES = Object.keys(RULE_STRATEGIES) as RuleName[];

export function isRuleName(name: string): name is RuleName {
  return Object.hasOwn(RULE_STRATEGIES, name);
}
