// Zod schemas of every REST request body and response (the contract of docs/api.md); types are their z.infer.
// The dashboard's types are these (server/dashboard/api-types.ts, type-only imports), so every module this
// one imports is a schema module free of Node APIs: import state schemas from their *-schema / *-state
// files, not from an area's index.
import { z } from 'zod';
import { ArenaStateSchema } from '../lifecycle/arena/arena-state.js';
import { PromotionCandidateSchema } from '../lifecycle/arena/candidate-schema.js';
import {
  ControlRequestSchema,
  ControlResultSchema,
  ControlServiceSchema,
} from '../lifecycle/control/control-schema.js';
import { DeploymentStateSchema } from '../lifecycle/deployer/deployment-state.js';
import { HistoryEntrySchema } from '../lifecycle/deployer/history-entry.js';
import { PaperStateSchema, TradeLineSchema } from '../lifecycle/paper/paper-state.js';
import { GateVerdictSchema } from '../lifecycle/promotion-check.js';
import { ProblemSchema, WorkspaceStatusSchema } from '../runtime/workspace-status-schema.js';

const finite = z.number();
const count = z.number().int().min(0);

export type Problem = z.infer<typeof ProblemSchema>;
const problems = z.array(ProblemSchema);

/** The body of every 4xx/5xx answer. */
export const ErrorBodySchema = z.strictObject({ error: z.string() });
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

export const HealthSchema = z.strictObject({
  ok: z.boolean(),
  version: z.string(),
  uptimeSeconds: finite.min(0),
  heartbeatAgeSeconds: finite.nullable(),
  /** ISO time of the paper trader's last applied frame. */
  lastBarTs: z.string().nullable(),
  supervisorPid: z.number().int().positive().nullable(),
  problems,
});
export type Health = z.infer<typeof HealthSchema>;

/** GET /api/status: `status --json`'s report (src/runtime/workspace-status-schema.ts). */
export { WorkspaceStatusSchema };
export type WorkspaceStatusBody = z.infer<typeof WorkspaceStatusSchema>;

export const DeploymentResponseSchema = z.strictObject({ state: DeploymentStateSchema.nullable(), problems });
export type DeploymentResponse = z.infer<typeof DeploymentResponseSchema>;

/** A page of a journal: `total` lines, `entries` from `offset` (oldest first), at most `limit` of them. */
function pageOf<T extends z.ZodType>(entry: T) {
  return z.strictObject({ total: count, offset: count, limit: count, entries: z.array(entry), problems });
}

export const HistoryPageSchema = pageOf(HistoryEntrySchema);
export type HistoryPage = z.infer<typeof HistoryPageSchema>;

export const PositionsResponseSchema = z.strictObject({ state: PaperStateSchema.nullable(), problems });
export type PositionsResponse = z.infer<typeof PositionsResponseSchema>;

export const TradesPageSchema = pageOf(TradeLineSchema);
export type TradesPage = z.infer<typeof TradesPageSchema>;

export const ArenaResponseSchema = z.strictObject({ state: ArenaStateSchema.nullable(), problems });
export type ArenaResponse = z.infer<typeof ArenaResponseSchema>;

/** The bars a figure covers: the first bar's open and the last bar's close (ISO) and the hours between. */
export const FigureWindowLabelSchema = z.strictObject({
  from: z.string(),
  to: z.string(),
  hours: finite.min(0),
});
export type FigureWindowLabel = z.infer<typeof FigureWindowLabelSchema>;

/** A track's figures as the arena stored them: since entry, and over the window the gate reads. */
const trackFiguresShape = {
  /** Return since entry (a benchmark's: since the arena's first bar), with its window. */
  sinceEntry: z.strictObject({ ...FigureWindowLabelSchema.shape, returnPct: finite.nullable() }).nullable(),
  /** The window returnPct .. maxDrawdownPct cover; null before a first bar (or in a file written before it was stored). */
  window: FigureWindowLabelSchema.nullable(),
  returnPct: finite.nullable(),
  paperReturnPct: finite.nullable(),
  excessReturnPct: finite.nullable(),
  sharpe: finite.nullable(),
  /** Probability that the true Sharpe over the window is above 0 (PSR): a short window's Sharpe says little. */
  psr: finite.nullable(),
  sortino: finite.nullable(),
  maxDrawdownPct: finite.nullable(),
  trades: count,
};

/** A benchmark's row: the same figures over the same kinds of window as the members'. */
export const BenchmarkRowSchema = z.strictObject({ name: z.string(), ...trackFiguresShape });
export type BenchmarkRow = z.infer<typeof BenchmarkRowSchema>;

export const LeaderRowSchema = z.strictObject({
  rank: z.number().int().min(1),
  modelId: z.string(),
  trialNumber: z.number().int().nullable(),
  role: z.enum(['champion-shadow', 'challenger']),
  status: z.string(),
  /** Hours since entry (= sinceEntry.hours). */
  hours: finite.min(0),
  ...trackFiguresShape,
  /**
   * The promotion gate's verdict of the arena's last frame as the arena stored it (every rule with
   * threshold, value and result); null for the champion's shadow and a challenger before its first frame.
   */
  gate: GateVerdictSchema.nullable(),
});
export type LeaderRow = z.infer<typeof LeaderRowSchema>;

export const LeaderboardResponseSchema = z.strictObject({
  text: z.string().nullable(),
  rows: z.array(LeaderRowSchema),
  benchmarks: z.array(BenchmarkRowSchema),
  problems,
});
export type LeaderboardResponse = z.infer<typeof LeaderboardResponseSchema>;

export const CandidateResponseSchema = z.strictObject({
  candidate: PromotionCandidateSchema.nullable(),
  problems,
});
export type CandidateResponse = z.infer<typeof CandidateResponseSchema>;

export const StudySummarySchema = z.strictObject({
  name: z.string(),
  direction: z.enum(['maximize', 'minimize']),
  trials: count,
  complete: count,
  best: z.strictObject({ number: z.number().int().min(0), value: finite }).nullable(),
});
export type StudySummaryBody = z.infer<typeof StudySummarySchema>;

export const StudiesResponseSchema = z.strictObject({ studies: z.array(StudySummarySchema), problems });
export type StudiesResponse = z.infer<typeof StudiesResponseSchema>;

export const TrialSchema = z.strictObject({
  number: z.number().int().min(0),
  state: z.string(),
  value: finite.nullable(),
  datetimeStart: z.string().nullable(),
  datetimeComplete: z.string().nullable(),
  params: z.record(z.string(), z.unknown()),
  /** The values it reported after each step (a fold), [step, value], step order; NaN as null. */
  intermediateValues: z.array(z.tuple([z.number().int(), finite.nullable()])),
});
export type TrialBody = z.infer<typeof TrialSchema>;

export const TrialsPageSchema = z.strictObject({
  total: count,
  offset: count,
  limit: count,
  trials: z.array(TrialSchema),
});
export type TrialsPage = z.infer<typeof TrialsPageSchema>;

/** A `hybrid-trader worker` process recorded in a study (docs/distributed.md). */
export const WorkerSchema = z.strictObject({
  study: z.string(),
  id: z.string(),
  host: z.string(),
  pid: z.number().int(),
  /** The kind it trains (`momentum`, `ppo`, `any`...). */
  kind: z.string(),
  version: z.string(),
  /** `lost`: it stopped beating without saying it stopped (killed, host down). */
  status: z.enum(['running', 'stopping', 'stopped', 'lost']),
  startedAt: z.string(),
  /** ISO time of its last heartbeat (the worker's clock). */
  lastHeartbeatAt: z.string(),
  lastHeartbeatAgeSeconds: finite.min(0),
  trialsDone: count,
  complete: count,
  pruned: count,
  failed: count,
  /** Numbers of the trials it runs now. */
  running: z.array(z.number().int()),
});
export type WorkerBody = z.infer<typeof WorkerSchema>;

export const WorkersResponseSchema = z.strictObject({ workers: z.array(WorkerSchema), problems });
export type WorkersResponse = z.infer<typeof WorkersResponseSchema>;

/** x values are epoch ms of bar closes (frame ts + timeframe), the same scale for every series. */
const SeriesShape = { ts: z.array(finite), equity: z.array(finite) };

export const MarkerKindSchema = z.enum(['deploy', 'promote', 'manual', 'refuse']);

export const EquityResponseSchema = z.strictObject({
  paper: z.strictObject(SeriesShape),
  models: z.array(
    z.strictObject({ modelId: z.string(), role: z.string(), status: z.string(), ...SeriesShape }),
  ),
  benchmarks: z.array(z.strictObject({ name: z.string(), ...SeriesShape })),
  markers: z.array(
    z.strictObject({
      ts: finite,
      kind: MarkerKindSchema,
      modelId: z.string().nullable(),
      label: z.string(),
    }),
  ),
  problems,
});
export type EquityResponse = z.infer<typeof EquityResponseSchema>;

export const EventUpdateSchema = z.strictObject({ lastBarTs: z.string().nullable() });

// Request bodies: strict, so a misspelt field is a 400 naming it rather than silently ignored.
const reason = z.string().max(500).optional();

export const ServiceBodySchema = z.strictObject({ service: ControlServiceSchema, reason });
export const PromoteBodySchema = z.strictObject({ modelId: z.string().min(1).max(200), reason });
export const ReasonBodySchema = z.strictObject({ reason });

export const ControlAcceptedSchema = z.strictObject({
  request: ControlRequestSchema,
  supervisorRunning: z.boolean(),
});
export type ControlAccepted = z.infer<typeof ControlAcceptedSchema>;

export const ControlStatusSchema = z.strictObject({
  request: ControlRequestSchema,
  status: z.enum(['pending', 'applied', 'refused']),
  result: ControlResultSchema.nullable(),
});
export type ControlStatus = z.infer<typeof ControlStatusSchema>;
