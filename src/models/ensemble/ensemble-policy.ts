// The ensemble kind: a weighted mean of its members' target weights (a mean vote).
import type { DecisionContext } from '../../sim/index.js';
import type { Policy } from '../policy.js';

export interface EnsembleMember {
  readonly policy: Policy;
  readonly weight: number;
}

/**
 * Averages the members' target weights with their relative weights. Each member sees the ensemble's own
 * portfolio. A member that throws makes the whole decision fail (the simulator then refuses the step),
 * rather than silently voting with fewer members.
 */
export function createEnsemblePolicy(
  name: string,
  symbols: readonly string[],
  members: readonly EnsembleMember[],
): Policy {
  const n = symbols.length;
  const total = members.reduce((s, m) => s + m.weight, 0);
  const scratch = new Float64Array(n);
  return {
    name,
    symbols,
    warmupBars: Math.max(...members.map((m) => m.policy.warmupBars)),
    decide(ctx: DecisionContext, out: Float64Array) {
      out.fill(0);
      for (const member of members) {
        scratch.fill(Number.NaN);
        member.policy.decide(ctx, scratch);
        const share = member.weight / total;
        for (let i = 0; i < n; i++) out[i] = out[i]! + share * scratch[i]!;
      }
    },
  };
}
