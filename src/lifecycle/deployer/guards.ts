// What stands between a deployed model and its replacement: the seed's nothing, or evidence that outranks a
// score (protection of proven models, a cooldown against A -> B -> A). Pure; one object per policy.
import { z } from 'zod';
import type { CurrentDeployment, DeploymentState } from './deployment-state.js';
import type { CooldownEvidence, ProtectionEvidence } from './history-entry.js';

export const DeployerPolicySchema = z.enum(['seed', 'evidence']);
export type DeployerPolicy = z.infer<typeof DeployerPolicySchema>;

export const ProtectionConfigSchema = z.strictObject({
  /** A model deployed on its training score counts as proven after this many hours live. */
  provenHours: z.number().min(0).default(168),
  /**
   * What a proven model's higher-scoring rival must do: `arena` (it is not deployed on its score; it
   * competes in the arena like any challenger) or `margin` (it must beat the deployed score by
   * `marginPerProvenWeek` per week live on top of scoreMargin).
   */
  onBetterScore: z.enum(['arena', 'margin']).default('arena'),
  marginPerProvenWeek: z.number().min(0).default(0.1),
  /** A model replaced less than this many hours ago is not deployed again (its evidence since must span it). */
  cooldownHours: z.number().min(0).default(336),
});
export type ProtectionConfig = z.infer<typeof ProtectionConfigSchema>;

const HOUR_MS = 3_600_000;

/** Hours between two ISO times (the deployer's clock is the bar close, so this is replay-exact). */
export function hoursBetween(fromIso: string, toIso: string): number {
  return (Date.parse(toIso) - Date.parse(fromIso)) / HOUR_MS;
}

/** The verdict of a guard: go ahead, or hold with a reason and the numbers behind it. */
export type GuardVerdict<E> =
  | { readonly allow: true }
  | { readonly allow: false; readonly reason: string; readonly details: E };

const ALLOW = { allow: true } as const;

/**
 * The checks a deployment policy adds to the mode's rules. `training` is asked when a new best trial's
 * score beats the deployed one by the configured margin; `promotion` when the arena's candidate qualifies.
 */
export interface DeploymentGuard {
  readonly name: DeployerPolicy;
  training(input: {
    readonly current: CurrentDeployment;
    readonly candidateScore: number;
    readonly deployedScore: number;
    readonly scoreMargin: number;
    readonly at: string;
  }): GuardVerdict<ProtectionEvidence>;
  promotion(input: {
    readonly modelId: string;
    readonly state: DeploymentState;
    readonly at: string;
  }): GuardVerdict<CooldownEvidence>;
}

/** The seed's deployer: a higher training score always wins, a qualifying candidate is always promoted. */
export const seedGuard: DeploymentGuard = {
  name: 'seed',
  training: () => ALLOW,
  promotion: () => ALLOW,
};

/** When `modelId` was last replaced (the deployment after its last one), or null if it never was. */
export function replacedAt(state: DeploymentState, modelId: string): string | null {
  const stack = state.previousDeployments;
  for (let i = stack.length - 1; i >= 0; i--)
    if (stack[i]!.modelId === modelId) return (stack[i + 1] ?? state.current)?.deployedAt ?? null;
  return null;
}

/**
 * Evidence outranks a score: a deployed model that was promoted on arena evidence, put there by the
 * operator, or has run `provenHours` live is not replaced merely because a trial scores higher in
 * training (the trial goes to the arena, or must beat a margin growing with the hours proven); and a
 * model replaced less than `cooldownHours` ago is not deployed again (A -> B -> A needs new evidence).
 */
export function evidenceGuard(p: ProtectionConfig): DeploymentGuard {
  return {
    name: 'evidence',
    training({ current, candidateScore, deployedScore, scoreMargin, at }) {
      const liveHours = hoursBetween(current.deployedAt, at);
      const byArena = current.source === 'promotion' || current.source === 'manual';
      if (!byArena && liveHours < p.provenHours) return ALLOW;
      const proof =
        current.source === 'promotion'
          ? 'was promoted on arena evidence'
          : current.source === 'manual'
            ? 'was deployed by the operator'
            : `has run ${liveHours} h live (proven from ${p.provenHours} h)`;
      const details: ProtectionEvidence = {
        protection: p.onBetterScore,
        incumbentSource: current.source,
        liveHours,
        candidateScore,
        deployedScore,
      };
      if (p.onBetterScore === 'arena')
        return {
          allow: false,
          reason: `training score ${candidateScore.toFixed(4)} beats deployed ${deployedScore.toFixed(4)}, but ${current.modelId} ${proof}: the trial competes in the arena instead`,
          details,
        };
      const required = scoreMargin + (p.marginPerProvenWeek * liveHours) / 168;
      if (candidateScore > deployedScore + required) return ALLOW;
      return {
        allow: false,
        reason: `training score ${candidateScore.toFixed(4)} does not beat deployed ${deployedScore.toFixed(4)} + ${required.toFixed(4)} (margin ${scoreMargin} + ${p.marginPerProvenWeek} per week live: ${current.modelId} ${proof})`,
        details: { ...details, requiredMargin: required },
      };
    },
    promotion({ modelId, state, at }) {
      const replaced = replacedAt(state, modelId);
      if (replaced === null) return ALLOW;
      const since = hoursBetween(replaced, at);
      if (since >= p.cooldownHours) return ALLOW;
      return {
        allow: false,
        reason: `cooldown: ${modelId} was replaced ${since} h ago; it comes back only with ${p.cooldownHours} h of evidence since`,
        details: {
          cooldown: true,
          replacedAt: replaced,
          hoursSinceReplaced: since,
          cooldownHours: p.cooldownHours,
        },
      };
    },
  };
}

/** The guard a configuration names. */
export function guardOf(policy: DeployerPolicy, protection: ProtectionConfig): DeploymentGuard {
  return policy === 'seed' ? seedGuard : evidenceGuard(protection);
}
