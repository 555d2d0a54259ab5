// deployments/deployment_state.json and deployments/history.jsonl: what is deployed, and every decision.
import { z } from 'zod';
import { JournalMarkSchema } from '../../state/journal-mark.js';
import { ControlResultSchema } from '../control/control-schema.js';
import { type ModelRef, ModelRefSchema } from '../model-ref.js';
import { DeployerPolicySchema, ProtectionConfigSchema } from './guards.js';
import { DeploymentSourceSchema, HistoryEntrySchema } from './history-entry.js';

export {
  type HistoryAction,
  type HistoryEntry,
  type HistoryEntryOf,
  HistoryEntrySchema,
  isManualSwap,
} from './history-entry.js';
export { DeploymentSourceSchema };

export const DeploymentModeSchema = z.enum(['hybrid', 'training-only', 'arena-only', 'ensemble']);
export type DeploymentMode = z.infer<typeof DeploymentModeSchema>;

export const CurrentDeploymentSchema = z.strictObject({
  modelId: z.string(),
  study: z.string(),
  trialNumber: z.number().int().nullable(),
  trainingScore: z.number().nullable(),
  /** ISO time (the bar's close in replay) of the deployment. */
  deployedAt: z.string(),
  source: DeploymentSourceSchema,
  modelPath: z.string(),
  /** The bundle's content when it was deployed (ModelRef's `bundleSha256`). */
  bundleSha256: ModelRefSchema.shape.bundleSha256,
});
export type CurrentDeployment = z.infer<typeof CurrentDeploymentSchema>;
export type DeploymentSource = CurrentDeployment['source'];

/**
 * The deployment record of `ref`, deployed at `at` (ISO) from `source`: the one place a ModelRef becomes
 * a record (a record is a ModelRef with more fields: `copyModelRef` gives the model it names back).
 */
export function deploymentOf(ref: ModelRef, at: string, source: DeploymentSource): CurrentDeployment {
  return {
    modelId: ref.modelId,
    study: ref.study,
    trialNumber: ref.trialNumber,
    trainingScore: ref.trainingScore,
    deployedAt: at,
    source,
    modelPath: ref.modelPath,
    ...(ref.bundleSha256 === undefined ? {} : { bundleSha256: ref.bundleSha256 }),
  };
}

/**
 * The side effects a cycle decided, recorded with the state so that a restart after a crash in the middle
 * of applying them can apply them again (each is idempotent).
 */
export const CycleEffectsSchema = z.strictObject({
  swap: z
    .strictObject({
      ref: ModelRefSchema,
      source: DeploymentSourceSchema,
      previous: ModelRefSchema.nullable(),
      /** The replaced model is excluded (a rollback) instead of going back to the arena. */
      retire: z.boolean().default(false),
    })
    .nullable(),
  candidate: z.strictObject({ modelId: z.string(), accepted: z.boolean(), reason: z.string() }).nullable(),
  offer: z.array(ModelRefSchema),
  /** The paper trader's paused flag to hold after this cycle (operator requests). */
  paperPaused: z.boolean().default(false),
  /** Challengers removed from the arena to start their evaluation again (absent when none). */
  restart: z.array(z.string()).optional(),
});
export type CycleEffects = z.infer<typeof CycleEffectsSchema>;

export const DeploymentStateSchema = z.strictObject({
  schemaVersion: z.literal(1),
  mode: DeploymentModeSchema,
  current: CurrentDeploymentSchema.nullable(),
  /** The most recent decisions (the full record is history.jsonl). */
  history: z.array(HistoryEntrySchema),
  /** modelIds deployed at some time: a replaced model is never redeployed on its training score again. */
  everDeployed: z.array(z.string()),
  /** Trials already considered (so a skip is recorded once per trial, not every cycle). */
  seenTrials: z.array(z.string()),
  /** ts of the last cycle applied; a restart resumes after it. */
  lastCycleTs: z.number().nullable(),
  /** The decisions of the last cycle, re-appended to history.jsonl after a crash that lost them. */
  lastDecisions: z.array(HistoryEntrySchema),
  /** The side effects of the last cycle (re-applied at start-up). */
  lastEffects: CycleEffectsSchema.nullable(),
  /** Deployments replaced by later ones, oldest first (the last is what demote/rollback restores). */
  previousDeployments: z.array(CurrentDeploymentSchema).default([]),
  /** Services paused by the operator: a paused deployer makes no automatic decision. */
  paused: z
    .strictObject({ paper: z.boolean(), deployer: z.boolean() })
    .default({ paper: false, deployer: false }),
  /** Models rolled back by the operator: never offered to the arena or deployed automatically again. */
  retiredModelIds: z.array(z.string()).default([]),
  /** Results of the most recent operator requests, so a restart can finish recording them. */
  controlResults: z.array(z.strictObject({ id: z.string(), result: ControlResultSchema })).default([]),
  updatedAt: z.string(),
  /**
   * What history.jsonl held at this commit (size and sha256): a journal that differs at the next start is
   * refused by name. Absent in files written before journals were marked (it is then adopted).
   */
  journals: z.strictObject({ history: JournalMarkSchema }).optional(),
});
export type DeploymentState = z.infer<typeof DeploymentStateSchema>;

/** The state of a deployer that has run no cycle yet (what it starts from without a state file). */
export function initialDeploymentState(mode: DeploymentMode): DeploymentState {
  return {
    schemaVersion: 1,
    mode,
    current: null,
    history: [],
    everDeployed: [],
    seenTrials: [],
    lastCycleTs: null,
    lastDecisions: [],
    lastEffects: null,
    previousDeployments: [],
    paused: { paper: false, deployer: false },
    retiredModelIds: [],
    controlResults: [],
    updatedAt: new Date(0).toISOString(),
  };
}

export const DeployerConfigSchema = z.strictObject({
  mode: DeploymentModeSchema.default('hybrid'),
  /** Studies whose completed trials are candidates. */
  studies: z.array(z.string().min(1)).min(1),
  /** A trial deploys when its score > deployed score + margin (signed: a worse trial never passes). */
  scoreMargin: z.number().min(0).default(0),
  /** How many trials after the best are offered to the arena. */
  arenaOffer: z.number().int().min(0).default(9),
  /** Members of the mean-vote ensemble in ensemble mode. */
  ensembleSize: z.number().int().min(1).default(10),
  /** Entries kept in deployment_state.json's `history`. */
  historyInState: z.number().int().min(1).default(20),
  /** `seed` (the seed's deployer, exactly) or `evidence` (protection and cooldown, guards.ts). */
  policy: DeployerPolicySchema.default('seed'),
  protection: ProtectionConfigSchema.default(ProtectionConfigSchema.parse({})),
});
export type DeployerConfig = z.infer<typeof DeployerConfigSchema>;
export type DeployerConfigInput = z.input<typeof DeployerConfigSchema>;

export const DEPLOYMENT_STATE_FILE = 'deployments/deployment_state.json';
export const DEPLOYMENT_HISTORY_FILE = 'deployments/history.jsonl';
