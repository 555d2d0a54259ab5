// What `status --json` and GET /api/status report: its zod schema, whose type readWorkspaceStatus returns
// (pure: the dashboard's types reach it, so it holds no Node API).
import { z } from 'zod';
import { ExcessEvidenceSchema } from '../lifecycle/arena/arena-state.js';
import { GateVerdictSchema, RuleResultSchema } from '../lifecycle/promotion-check.js';
import { ServiceHealthSchema } from './heartbeat-schema.js';

const finite = z.number();
const count = z.number().int().min(0);

/**
 * A problem of the workspace: the file and why (the message names the field). From the workspace's
 * checks also the error's code and its severity: `error`, a start refuses; `warning`, it starts, but a
 * person should look (e.g. a deployed model that cannot be loaded: the paper trader holds).
 */
export const ProblemSchema = z.strictObject({
  file: z.string(),
  error: z.string(),
  code: z.string().optional(),
  severity: z.enum(['error', 'warning']).optional(),
});
export type StatusProblem = z.infer<typeof ProblemSchema>;

/** A return over a labelled window: first bar's open and last bar's close (ISO), hours, return in %. */
export const PaperFigureSchema = z.strictObject({
  from: z.string(),
  to: z.string(),
  hours: finite,
  returnPct: finite,
});

/** A challenger and the gate's stored verdict on it (null before its first frame). */
export const ChallengerGateSchema = z.strictObject({
  modelId: z.string(),
  status: z.string(),
  hours: finite,
  gate: GateVerdictSchema.nullable(),
});
export type ChallengerGate = z.infer<typeof ChallengerGateSchema>;

/** The workspace's state files read into one report (src/runtime/workspace-status.ts). */
export const WorkspaceStatusSchema = z.strictObject({
  root: z.string(),
  deployed: z
    .strictObject({
      modelId: z.string(),
      trainingScore: finite.nullable(),
      source: z.string(),
      deployedAt: z.string(),
    })
    .nullable(),
  mode: z.string().nullable(),
  equity: finite.nullable(),
  cash: finite.nullable(),
  positions: z.array(z.strictObject({ symbol: z.string(), quantity: finite, value: finite })),
  /** ISO time of the paper trader's last applied frame. */
  lastBarTs: z.string().nullable(),
  /**
   * The paper trader's return since its first bar and since its current model took over, each with the
   * window it covers (first bar's open and last bar's close, ISO; hours); null before its first bar.
   */
  paper: z
    .strictObject({
      sinceStart: PaperFigureSchema,
      sinceModel: z.strictObject({ modelId: z.string(), ...PaperFigureSchema.shape }).nullable(),
    })
    .nullable(),
  arena: z
    .strictObject({
      members: count,
      queued: count,
      leader: z.string().nullable(),
      lastBarTs: z.string().nullable(),
      /** Active challengers in leaderboard order with the gate's verdict of the arena's last frame. */
      challengers: z.array(ChallengerGateSchema),
      /** With gate.test: each challenger's statistical evidence (docs/lifecycle.md). */
      evidence: z.array(z.strictObject({ modelId: z.string(), ...ExcessEvidenceSchema.shape })),
    })
    .nullable(),
  /** The promotion candidate file: the model and every rule it passed. */
  candidate: z
    .strictObject({
      modelId: z.string(),
      excessReturnPct: finite,
      hours: finite,
      rules: z.array(RuleResultSchema),
    })
    .nullable(),
  /** Seconds since the supervisor's heartbeat (run/heartbeat.json), or null when none was written. */
  heartbeatAgeSeconds: finite.nullable(),
  /** pid of the running supervisor (it holds run/supervisor.lock), or null. */
  supervisorPid: z.number().int().positive().nullable(),
  /** Each service's health from the heartbeat: running, idle, restarting, failed or stalled. */
  services: z.array(ServiceHealthSchema),
  problems: z.array(ProblemSchema),
});
export type WorkspaceStatus = z.infer<typeof WorkspaceStatusSchema>;
