// Buy-and-hold rules: invest once when flat, then keep the positions (the arena's benchmarks use these).
import type { DecisionContext } from '../../sim/index.js';
import { holdCurrent, investedWeight, type Policy } from '../policy.js';

/** All of the first symbol (subject to the simulator's cap and reserve), then hold. */
export function createBuyAndHold(symbols: readonly string[]): Policy {
  return investOnceThenHold('builtin:buy-and-hold', symbols, (out) => {
    out.fill(0);
    out[0] = 1;
  });
}

/** 1/n of each symbol when flat, then hold (no rebalancing). */
export function createEqualWeight(symbols: readonly string[]): Policy {
  const weight = 1 / symbols.length;
  return investOnceThenHold('builtin:equal-weight', symbols, (out) => out.fill(weight));
}

/** Writes the `invest` weights while flat; once anything is held, keeps the current weights. */
function investOnceThenHold(
  name: string,
  symbols: readonly string[],
  invest: (out: Float64Array) => void,
): Policy {
  return {
    name,
    symbols,
    warmupBars: 0,
    decide(ctx: DecisionContext, out: Float64Array) {
      if (investedWeight(ctx.weights) > 0) return holdCurrent(ctx.weights, out);
      invest(out);
    },
  };
}
