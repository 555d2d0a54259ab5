// arena_state/promotion_candidate.json and its archives under promotions/: their schemas (pure).
import { z } from 'zod';
import { ModelRefSchema } from '../model-ref.js';
import { RuleResultSchema } from '../promotion-check.js';

const finite = z.number().finite();

/** The best qualifying challenger, written by the arena after a frame; its ModelRef lets the deployer load it. */
export const PromotionCandidateSchema = z.strictObject({
  schemaVersion: z.literal(1),
  ...ModelRefSchema.shape,
  hours: finite.min(0),
  returnPct: finite,
  paperReturnPct: finite,
  excessReturnPct: finite,
  sharpe: finite.nullable(),
  psr: finite.nullable(),
  maxDrawdownPct: finite.nullable(),
  /** ISO time and epoch ms of the first frame of the window. */
  windowStart: z.string(),
  windowStartTs: finite,
  /** ts of the frame the numbers are for. */
  barTs: finite,
  /** When this model first became the candidate, and when the file was last written (injected clock). */
  createdAt: finite,
  updatedAt: finite,
  /** Every rule of the gate with its threshold and the value found (all passed). */
  rules: z.array(RuleResultSchema),
});
export type PromotionCandidate = z.infer<typeof PromotionCandidateSchema>;

export const PromotionDecisionSchema = z.strictObject({
  accepted: z.boolean(),
  reason: z.string(),
  decidedAt: finite,
});
export type PromotionDecision = z.infer<typeof PromotionDecisionSchema>;

/** An archived candidate under arena_state/promotions/: the candidate plus the deployer's decision. */
export const ArchivedCandidateSchema = z.strictObject({
  ...PromotionCandidateSchema.shape,
  decision: PromotionDecisionSchema,
});
export type ArchivedCandidate = z.infer<typeof ArchivedCandidateSchema>;
