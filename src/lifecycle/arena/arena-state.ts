// arena_state/arena_state.json: its schema (members, queue, benchmarks) with cross-field checks (pure).
import { z } from 'zod';
import { PortfolioSnapshotSchema } from '../../sim/index.js';
import { ModelRefSchema } from '../model-ref.js';
import { GateVerdictSchema } from '../promotion-check.js';
import { isActive, MemberStatusSchema } from './member-status.js';

const finite = z.number().finite();
const nullableNumber = finite.nullable();
const finiteArray = z.array(finite);
const isFiniteNumber = (x: unknown) => typeof x === 'number' && Number.isFinite(x);

/**
 * An array of finite numbers, as z.array(finite) checks it, in one loop: equity curves and frame times hold
 * thousands of points, validated at every commit, and parsing each one through zod was the largest part of
 * writing arena_state.json. An array that fails the loop gets z.array(finite)'s issues (field and index).
 */
const finiteSeries = z.custom<number[]>().superRefine((value, ctx) => {
  if (Array.isArray(value) && value.every(isFiniteNumber)) return;
  const parsed = finiteArray.safeParse(value);
  // aborting, as z.array's issues are: the state's cross-field checks then do not run on a non-array
  if (!parsed.success) for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, continue: false });
});

/** The bars a figure covers: the first bar's open to the last bar's close (epoch ms), and its length in hours. */
export const FigureWindowSchema = z.strictObject({
  fromTs: finite,
  toTs: finite,
  hours: finite.min(0),
});
export type FigureWindow = z.infer<typeof FigureWindowSchema>;

/** Metrics over a member's window (see docs/lifecycle.md); percentages in percent, ratios annualised. */
export const MemberMetricsSchema = z.strictObject({
  /**
   * The window the figures below (returnPct .. psr) cover: a challenger's whole life, the trailing
   * maxEvalHours for the champion's shadow and the benchmarks. Null before a first frame; absent from
   * files written before it was stored.
   */
  window: FigureWindowSchema.nullable().optional(),
  /** Since entry: from its first bar's open to the last bar's close, with the return over it. */
  sinceEntry: z
    .strictObject({ ...FigureWindowSchema.shape, returnPct: nullableNumber })
    .nullable()
    .optional(),
  returnPct: nullableNumber,
  /** The paper trader's return over the same window (null when it does not cover it). */
  paperReturnPct: nullableNumber,
  /** returnPct - paperReturnPct, in percentage points: the leaderboard's "vs paper". */
  excessReturnPct: nullableNumber,
  sharpe: nullableNumber,
  sortino: nullableNumber,
  maxDrawdownPct: nullableNumber,
  psr: nullableNumber,
  /** Fills since entry. */
  trades: z.number().int().min(0),
  /** Steps whose policy output was refused (the portfolio held). */
  refusedSteps: z.number().int().min(0),
});
export type MemberMetrics = z.infer<typeof MemberMetricsSchema>;

/** A portfolio stepped on every arena frame since its entry: the common part of members and benchmarks. */
const trackShape = {
  /** ts of its first frame (null until it has stepped one). */
  enteredAt: nullableNumber,
  /** Frames applied since entry, and the same in hours (frames x timeframe). */
  bars: z.number().int().min(0),
  hours: finite.min(0),
  startingEquity: finite.positive(),
  /** ts of the first frame of the metrics window (= enteredAt until the curve is trimmed). */
  windowStartTs: nullableNumber,
  /** The simulator's portfolio; null once a member has left. */
  portfolio: PortfolioSnapshotSchema.nullable(),
  /** Equity window, oldest first: point 0 is the equity before the window's first frame. */
  equity: finiteSeries,
  metrics: MemberMetricsSchema,
};

/** The exact state of a challenger's paired excess-return accumulator (ExcessAccumulator.toState). */
export const ExcessAccumulatorStateSchema = z.strictObject({
  maxLag: z.number().int().min(0),
  n: z.number().int().min(0),
  sum: finite,
  sumSq: finite,
  cross: z.array(finite),
  head: z.array(finite),
  tail: z.array(finite),
});

/** The statistical rule's evidence for a challenger (excess-test.ts ExcessEvidence). */
export const ExcessEvidenceSchema = z.strictObject({
  method: z.string(),
  bars: z.number().int().min(0),
  statistic: nullableNumber,
  boundary: nullableNumber,
  pValue: finite,
  level: finite,
  alpha: finite,
  rank: z.number().int().min(1),
  familySize: z.number().int().min(0),
  lag: z.number().int().min(0),
  ir: nullableNumber,
  irLower: nullableNumber,
  irUpper: nullableNumber,
  hoursToDecision: nullableNumber,
  horizonNeededHours: nullableNumber,
  passed: z.boolean(),
});

export const MemberStateSchema = z.strictObject({
  ...ModelRefSchema.shape,
  role: z.enum(['champion-shadow', 'challenger']),
  status: MemberStatusSchema,
  /** Why it has its status (entered, qualified, expired after N h, bundle gone, ...). */
  reason: z.string().nullable(),
  leftAt: nullableNumber,
  ...trackShape,
  /**
   * The promotion gate's verdict on a challenger at the frame its metrics are for (every rule with
   * threshold, value and result), as the arena computed it; null for the shadow and before a first frame.
   * Absent from files written before it was stored (read as not known).
   */
  gate: GateVerdictSchema.nullable().optional(),
  /**
   * With gate.test: the challenger's paired excess returns over the paper trader since entry, summarised
   * (null when a frame of its window had no paper trader return: the test cannot pass). Absent otherwise.
   */
  excess: ExcessAccumulatorStateSchema.nullable().optional(),
  /** With gate.test: the rule's evidence after the last frame (statistic, boundary, p-value, IR interval). */
  evidence: ExcessEvidenceSchema.optional(),
});
export type MemberState = z.infer<typeof MemberStateSchema>;

export const BenchmarkNameSchema = z.enum(['equal-weight', 'buy-and-hold']);
export type BenchmarkName = z.infer<typeof BenchmarkNameSchema>;

export const BenchmarkStateSchema = z.strictObject({
  name: BenchmarkNameSchema,
  /** What it holds: every symbol, or the first. */
  symbols: z.array(z.string()),
  ...trackShape,
});
export type BenchmarkState = z.infer<typeof BenchmarkStateSchema>;

/** `arena_state/arena_state.json`, schemaVersion 1. Written atomically after every frame and change. */
export const ArenaStateSchema = z
  .strictObject({
    schemaVersion: z.literal(1),
    symbols: z.array(z.string().min(1)).min(1),
    lastBarTs: nullableNumber,
    firstBarTs: nullableNumber,
    updatedAt: finite,
    /** ts of the most recent frames, oldest first (window starts of trimmed curves). */
    frameTs: finiteSeries,
    /** Active members (evaluating, qualified) then the most recent members that left. */
    models: z.array(MemberStateSchema),
    /** Offered models waiting for a slot, best training score first. */
    queue: z.array(ModelRefSchema),
    benchmarks: z.array(BenchmarkStateSchema),
    /** Models never admitted again: expired, removed with a missing bundle or by the deployer. */
    excludedModelIds: z.array(z.string()),
    /** The current promotion candidate and when it first became the candidate. */
    candidate: z.strictObject({ modelId: z.string(), createdAt: finite }).nullable(),
  })
  .superRefine((s, ctx) => {
    const seen = new Set<string>();
    let shadows = 0;
    s.models.forEach((m, k) => {
      const add = (message: string, ...path: (string | number)[]) =>
        ctx.addIssue({ code: 'custom', message, path: ['models', k, ...path] });
      if (!isActive(m.status)) return;
      if (seen.has(m.modelId)) add(`model ${m.modelId} is listed twice`, 'modelId');
      seen.add(m.modelId);
      if (m.role === 'champion-shadow' && ++shadows > 1) add('a second active champion-shadow', 'role');
      if (m.portfolio === null) add('an active member needs its portfolio', 'portfolio');
      else if (m.enteredAt !== null && m.portfolio.lastTs !== s.lastBarTs)
        add(`must equal lastBarTs (${s.lastBarTs})`, 'portfolio', 'lastTs');
      if (m.equity.length < 1 || m.equity.length > m.bars + 1)
        add(`must hold between 1 and bars + 1 (${m.bars + 1}) points`, 'equity');
    });
    if (s.frameTs.some((ts, i) => i > 0 && !(ts > s.frameTs[i - 1]!)))
      ctx.addIssue({ code: 'custom', message: 'must be increasing', path: ['frameTs'] });
    if ((s.frameTs.at(-1) ?? null) !== s.lastBarTs)
      ctx.addIssue({ code: 'custom', message: `must end at lastBarTs (${s.lastBarTs})`, path: ['frameTs'] });
  });
export type ArenaState = z.infer<typeof ArenaStateSchema>;
