// deployments/history.jsonl entries: every decision with its evidence, one schema per action (zod).
import { z } from 'zod';
import { promotionCheckShape } from '../promotion-check.js';
import { DeployerPolicySchema } from './guards.js';

/** How a model came to be deployed. */
export const DeploymentSourceSchema = z.enum(['training', 'promotion', 'manual', 'ensemble']);

/**
 * The evidence policy's reason to keep a proven model (guards.ts): a higher training score went to the
 * arena (`protection` arena) or fell short of the margin that grows with the hours live (`margin`).
 */
export const ProtectionEvidenceSchema = z.strictObject({
  protection: z.enum(['arena', 'margin']),
  incumbentSource: DeploymentSourceSchema,
  liveHours: z.number(),
  candidateScore: z.number(),
  /** The deployed model's score compared (re-scored when it was). */
  deployedScore: z.number(),
  requiredMargin: z.number().optional(),
});
export type ProtectionEvidence = z.infer<typeof ProtectionEvidenceSchema>;

/** The evidence policy's cooldown: the candidate was replaced too recently to come back. */
export const CooldownEvidenceSchema = z.strictObject({
  cooldown: z.literal(true),
  replacedAt: z.string(),
  hoursSinceReplaced: z.number(),
  cooldownHours: z.number(),
});
export type CooldownEvidence = z.infer<typeof CooldownEvidenceSchema>;

const score = z.number();
const nullableScore = score.nullable();

/** Training deployment and skip: the scores compared (the re-scored deployed one when there is one). */
const scoresShape = {
  candidateScore: score,
  /** The deployed model's recorded training score (null before the first deployment). */
  deployedScore: nullableScore,
  /** The deployed model re-scored on the candidate's validation windows, when they differ. */
  rescoredDeployedScore: nullableScore,
  margin: z.number(),
};

/**
 * The arena's check of the candidate at the cycle's frame (PromotionCheck). Entries written before the
 * window's start ts, PSR and max drawdown were recorded for a model no longer in the arena read them as null.
 */
const checkShape = {
  ...promotionCheckShape,
  windowStartTs: promotionCheckShape.windowStartTs.default(null),
  psr: promotionCheckShape.psr.default(null),
  maxDrawdownPct: promotionCheckShape.maxDrawdownPct.default(null),
};

const base = {
  /** ts (epoch ms, bar open time) of the cycle that decided. */
  cycleTs: z.number(),
  /** ISO time of the decision. */
  at: z.string(),
};
const about = {
  modelId: z.string().nullable(),
  trialNumber: z.number().int().nullable(),
  reason: z.string(),
};

/** `deploy` of a trial on its training score. */
const TrainingDeployDetailsSchema = z.strictObject({ ...scoresShape, replaced: z.string().nullable() });
/** `deploy` of an ensemble (ensemble mode): its members and their mean training score. */
const EnsembleDeployDetailsSchema = z.strictObject({ members: z.array(z.string()), meanScore: z.number() });

export const DeployEntrySchema = z.strictObject({
  ...base,
  action: z.literal('deploy'),
  ...about,
  details: z.union([TrainingDeployDetailsSchema, EnsembleDeployDetailsSchema]),
});

/** A skip's protection evidence: the policy's fields beside the scores (which the skip records already). */
const protectionFields = ProtectionEvidenceSchema.omit({
  candidateScore: true,
  deployedScore: true,
}).partial().shape;

export const SkipEntrySchema = z.strictObject({
  ...base,
  action: z.literal('skip'),
  ...about,
  /** The scores compared; when the deployment policy held it back, the policy and its evidence. */
  details: z.strictObject({
    ...scoresShape,
    policy: DeployerPolicySchema.optional(),
    ...protectionFields,
  }),
});

export const PromoteEntrySchema = z.strictObject({
  ...base,
  action: z.literal('promote'),
  ...about,
  /** The check it was promoted on, and the model it replaced. */
  details: z.strictObject({ ...checkShape, replaced: z.string().nullable() }),
});

export const RefuseEntrySchema = z.strictObject({
  ...base,
  action: z.literal('refuse'),
  ...about,
  /** The check it was refused on (its failed rules); when the deployment policy refused it, the policy's evidence. */
  details: z.strictObject({
    ...checkShape,
    policy: DeployerPolicySchema.optional(),
    ...CooldownEvidenceSchema.partial().shape,
  }),
});

export const RescoreEntrySchema = z.strictObject({
  ...base,
  action: z.literal('rescore'),
  ...about,
  details: z.strictObject({
    recordedScore: nullableScore,
    rescoredScore: score,
    candidateScore: score,
  }),
});

/** An operator request (run/control/), applied or refused. */
export const ManualEntrySchema = z.strictObject({
  ...base,
  action: z.literal('manual'),
  ...about,
  details: z.strictObject({
    requestId: z.string(),
    request: z.enum(['pause', 'resume', 'promote', 'demote', 'rollback']),
    status: z.enum(['applied', 'refused']),
    requestedBy: z.string(),
    requestedAt: z.string(),
    operatorReason: z.string(),
    service: z.enum(['paper', 'deployer']).optional(),
    /** A swap it applied: the deployed model's training score and the model it replaced. */
    trainingScore: nullableScore.optional(),
    replaced: z.string().nullable().optional(),
  }),
});

/** One line of deployments/history.jsonl (and of deployment_state.json's `history`), chosen by `action`. */
export const HistoryEntrySchema = z.discriminatedUnion('action', [
  DeployEntrySchema,
  SkipEntrySchema,
  PromoteEntrySchema,
  RefuseEntrySchema,
  RescoreEntrySchema,
  ManualEntrySchema,
]);
export type HistoryEntry = z.infer<typeof HistoryEntrySchema>;
export type HistoryAction = HistoryEntry['action'];
/** The entry of one action. */
export type HistoryEntryOf<A extends HistoryAction> = Extract<HistoryEntry, { action: A }>;

type WithoutTime<E> = E extends unknown ? Omit<E, 'cycleTs' | 'at'> : never;
/** An entry before its cycle's time is added (what a decision function builds). */
export type HistoryEntryBody = WithoutTime<HistoryEntry>;

/** Whether an operator request swapped the deployed model (an applied promote, demote or rollback). */
export function isManualSwap(entry: HistoryEntry): entry is HistoryEntryOf<'manual'> {
  return (
    entry.action === 'manual' &&
    entry.details.status === 'applied' &&
    (entry.details.request === 'promote' ||
      entry.details.request === 'demote' ||
      entry.details.request === 'rollback')
  );
}
