// Time-series momentum with volatility targeting: long a symbol while its return over `lookback` bars
// stays above a threshold band, sized so that its annualised volatility contributes targetVol / n.
import { z } from 'zod';
import { periodsPerYear } from '../../core/timeframe.js';
import type { DecisionContext } from '../../sim/index.js';
import { limitTotal, type Policy } from '../policy.js';
import { logReturnValue, PrefixSums, squaredLogReturnValue } from './prefix-sums.js';

export const MomentumParamsSchema = z.strictObject({
  /** Momentum horizon in bars. */
  lookback: z.number().int().min(2).default(168),
  /** Window of the realised-volatility estimate in bars. */
  volWindow: z.number().int().min(2).default(168),
  /** Annualised volatility each long symbol is sized for, before dividing by n (0.5 = 50 %). */
  targetVol: z.number().gt(0).max(10).default(0.5),
  /** Enter when the lookback return exceeds +threshold, exit when it falls below -threshold (0.02 = 2 %). */
  threshold: z.number().min(0).max(1).default(0.02),
  /** Keep the held weight while it is within this fraction of the new target (avoids fee churn). */
  resizeTolerance: z.number().min(0).max(1).default(0.5),
});

export type MomentumParams = z.infer<typeof MomentumParamsSchema>;

export function createMomentum(
  symbols: readonly string[],
  timeframeMs: number,
  params: MomentumParams,
): Policy {
  const { lookback, volWindow, targetVol, threshold, resizeTolerance } = params;
  const n = symbols.length;
  const annualise = Math.sqrt(periodsPerYear(timeframeMs));
  const sumR = new PrefixSums(logReturnValue);
  const sumR2 = new PrefixSums(squaredLogReturnValue);
  const warmup = Math.max(lookback, volWindow);
  return {
    name: `builtin:momentum?lookback=${lookback}&volWindow=${volWindow}&targetVol=${targetVol}&threshold=${threshold}`,
    symbols,
    warmupBars: warmup,
    decide(ctx: DecisionContext, out: Float64Array) {
      const t = ctx.t;
      const m = ctx.market;
      if (t < warmup) {
        out.fill(0);
        return;
      }
      for (let i = 0; i < n; i++) {
        const momentum = m.close[t * n + i]! / m.close[(t - lookback) * n + i]! - 1;
        const held = ctx.weights[i + 1]!;
        // Hysteresis: enter above +threshold, leave below -threshold, so a flat trend does not churn fees.
        if (held > 0 ? !(momentum > -threshold) : !(momentum > threshold)) {
          out[i] = 0;
          continue;
        }
        // sample variance of the 1-bar log returns over (t - volWindow, t]
        const s = sumR.sum(m, i, t, volWindow);
        const s2 = sumR2.sum(m, i, t, volWindow);
        const variance = Math.max(0, (s2 - (s * s) / volWindow) / (volWindow - 1));
        const vol = Math.sqrt(variance) * annualise;
        const target = vol > 0 ? Math.min(1, targetVol / vol) / n : 1 / n;
        out[i] = held > 0 && Math.abs(held - target) <= resizeTolerance * target ? held : target;
      }
      limitTotal(out);
    },
  };
}
