// SMA crossover: long a symbol while its fast simple moving average of closes is above the slow one.
import { z } from 'zod';
import type { DecisionContext } from '../../sim/index.js';
import { limitTotal, type Policy } from '../policy.js';
import { PrefixSums } from './prefix-sums.js';

export const SmaCrossParamsSchema = z
  .object({
    /** Fast window in bars. */
    fast: z.number().int().min(1).default(24),
    /** Slow window in bars; must exceed fast. */
    slow: z.number().int().min(2).default(120),
    /** Weight of each symbol that is long; default 1 / number of symbols. */
    weight: z.number().gt(0).max(1).optional(),
  })
  .strict()
  .refine((p) => p.slow > p.fast, { message: 'slow must be greater than fast', path: ['slow'] });

export type SmaCrossParams = z.infer<typeof SmaCrossParamsSchema>;

export function createSmaCross(symbols: readonly string[], params: SmaCrossParams): Policy {
  const { fast, slow } = params;
  const weight = params.weight ?? 1 / symbols.length;
  const sums = new PrefixSums();
  const n = symbols.length;
  return {
    name: `builtin:sma-cross?fast=${fast}&slow=${slow}${params.weight === undefined ? '' : `&weight=${weight}`}`,
    symbols,
    warmupBars: slow - 1,
    decide(ctx: DecisionContext, out: Float64Array) {
      const t = ctx.t;
      if (t < slow - 1) {
        out.fill(0);
        return;
      }
      for (let i = 0; i < n; i++) {
        const long = sums.meanAbove(ctx.market, i, t, fast, slow);
        // Enter at `weight`, then hold the position as it drifts: re-targeting every bar would churn fees.
        const held = ctx.weights[i + 1]!;
        out[i] = long ? (held > 0 ? held : weight) : 0;
      }
      limitTotal(out);
    },
  };
}
