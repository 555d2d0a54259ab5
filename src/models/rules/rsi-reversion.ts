// RSI mean reversion: buy a symbol when its RSI falls below `entry`, sell when it rises above `exit`.
import { z } from 'zod';
import { RsiKernel } from '../../features/index.js';
import type { DecisionContext } from '../../sim/index.js';
import { limitTotal, type Policy } from '../policy.js';
import { KernelSeries } from './kernel-series.js';

export const RsiReversionParamsSchema = z
  .strictObject({
    /** RSI period in bars (Wilder). */
    period: z.number().int().min(2).default(14),
    /** Enter when RSI < entry. */
    entry: z.number().gt(0).lt(100).default(30),
    /** Exit when RSI > exit. */
    exit: z.number().gt(0).lt(100).default(55),
    /** Weight of each position; default 1 / number of symbols. */
    weight: z.number().gt(0).max(1).optional(),
  })
  .refine((p) => p.exit > p.entry, { message: 'exit must be above entry', path: ['exit'] });

export type RsiReversionParams = z.infer<typeof RsiReversionParamsSchema>;

export function createRsiReversion(symbols: readonly string[], params: RsiReversionParams): Policy {
  const { period, entry, exit } = params;
  const n = symbols.length;
  const weight = params.weight ?? 1 / n;
  const rsi = new KernelSeries(() => new RsiKernel(period));
  return {
    name: `builtin:rsi-reversion?period=${period}&entry=${entry}&exit=${exit}`,
    symbols,
    warmupBars: period,
    decide(ctx: DecisionContext, out: Float64Array) {
      for (let i = 0; i < n; i++) {
        const value = rsi.at(ctx.market, i, ctx.t);
        const held = ctx.weights[i + 1]!;
        if (Number.isNaN(value)) out[i] = 0;
        // In a position: hold it (as it drifts) until RSI recovers above `exit`.
        else if (held > 0) out[i] = value > exit ? 0 : held;
        else out[i] = value < entry ? weight : 0;
      }
      limitTotal(out);
    },
  };
}
