// paper_trades/: the positions_state.json schema (with cross-field checks) and the journal line schemas (pure).
import { z } from 'zod';
import {
  FillSchema,
  PortfolioSnapshotSchema,
  type PortfolioState,
  snapshotPortfolio,
} from '../../sim/index.js';
import { JournalMarkSchema } from '../../state/journal-mark.js';
import { type ModelRef, ModelRefSchema } from '../model-ref.js';

const finite = z.number().finite();

/** One open position as shown to people (the `portfolio` snapshot is what a restart restores from). */
export const PaperPositionSchema = z.strictObject({
  symbol: z.string().min(1),
  /** Units held, > 0 (flat symbols are not listed). */
  quantity: finite.positive(),
  /** Quantity-weighted average fill price (slippage included, fees excluded). */
  avgEntryPrice: finite.min(0),
  /** Open time (ms) of the bar at whose close the position was opened. */
  entryTs: finite.nullable(),
  /** Close of the last applied frame. */
  marketPrice: finite.positive(),
  /** quantity x marketPrice. */
  value: finite.min(0),
});
export type PaperPosition = z.infer<typeof PaperPositionSchema>;

type Issue = { message: string; path: (string | number)[] };

/** Cross-field checks: a hand edit of a display field that no longer matches the snapshot is refused. */
function consistencyIssues(s: {
  modelId: string | null;
  model: ModelRef | null;
  modelError?: { message: string; sinceBarTs: number | null } | undefined;
  symbols: string[];
  lastBarTs: number | null;
  firstBarTs: number | null;
  cash: number;
  equity: number;
  positions: PaperPosition[];
  portfolio: z.infer<typeof PortfolioSnapshotSchema>;
}): Issue[] {
  const issues: Issue[] = [];
  const add = (message: string, ...path: (string | number)[]) => issues.push({ message, path });
  if (s.modelId !== (s.model?.modelId ?? null))
    add(`must equal model.modelId (${s.model?.modelId ?? null})`, 'modelId');
  if (s.modelError !== undefined && s.model === null)
    add('only a deployed model can fail to load', 'modelError');
  if ((s.lastBarTs === null) !== (s.firstBarTs === null) || (s.firstBarTs ?? 0) > (s.lastBarTs ?? 0))
    add(`must be null exactly when lastBarTs is, and not after it (lastBarTs ${s.lastBarTs})`, 'firstBarTs');
  if (s.portfolio.lastTs !== s.lastBarTs) add(`must equal lastBarTs (${s.lastBarTs})`, 'portfolio', 'lastTs');
  if (s.cash !== s.portfolio.cash) add(`must equal portfolio.cash (${s.portfolio.cash})`, 'cash');
  const snapSymbols = s.portfolio.positions.map((p) => p.symbol);
  if (snapSymbols.join('\u0000') !== s.symbols.join('\u0000'))
    add(`must list the portfolio's symbols in order (${snapSymbols.join(', ')})`, 'symbols');
  let total = s.cash;
  s.positions.forEach((pos, k) => {
    const snap = s.portfolio.positions.find((p) => p.symbol === pos.symbol);
    if (!snap) {
      add(`symbol ${pos.symbol} is not in the portfolio`, 'positions', k, 'symbol');
      return;
    }
    if (pos.quantity !== snap.quantity)
      add(
        `must equal the portfolio's quantity of ${pos.symbol} (${snap.quantity})`,
        'positions',
        k,
        'quantity',
      );
    if (pos.avgEntryPrice !== snap.avgEntryPrice)
      add(`must equal the portfolio's (${snap.avgEntryPrice})`, 'positions', k, 'avgEntryPrice');
    if (pos.entryTs !== snap.entryTs)
      add(`must equal the portfolio's (${snap.entryTs})`, 'positions', k, 'entryTs');
    if (pos.value !== pos.quantity * pos.marketPrice)
      add('must equal quantity x marketPrice', 'positions', k, 'value');
    total += pos.value;
  });
  const held = s.portfolio.positions.filter((p) => p.quantity > 0);
  if (held.length !== s.positions.length)
    add(`must list every held symbol (${held.map((p) => p.symbol).join(', ') || 'none'})`, 'positions');
  if (!(Math.abs(total - s.equity) <= 1e-9 * Math.max(1, Math.abs(s.equity))))
    add(`must equal cash + the positions' values (${total})`, 'equity');
  return issues;
}

/** `paper_trades/positions_state.json`, schemaVersion 1. Written atomically after every applied frame. */
export const PaperStateSchema = z
  .strictObject({
    schemaVersion: z.literal(1),
    /** The deployed model (null before the first deployment); `model` holds what is needed to reload it. */
    modelId: z.string().nullable(),
    model: ModelRefSchema.nullable(),
    /** The universe, in the simulator's order. */
    symbols: z.array(z.string().min(1)).min(1),
    /** ts of the last applied frame (null before the first) and of the first one. */
    lastBarTs: finite.nullable(),
    firstBarTs: finite.nullable(),
    /** Equity before the first frame (the base of returns from the start). */
    initialEquity: finite.positive(),
    cash: finite.min(0),
    /** cash + sum of position values, marked at the last close. */
    equity: finite.min(0),
    positions: z.array(PaperPositionSchema),
    /** resetPositions was asked (ensemble mode): the next frame liquidates instead of asking the model. */
    pendingReset: z.boolean(),
    /** Trading paused by the operator: the model is not asked, positions are held (overlays still apply). */
    paused: z.boolean().default(false),
    /** The simulator's exact portfolio: what a restart restores from. */
    portfolio: PortfolioSnapshotSchema,
    /** Epoch ms of the write, from the injected clock. */
    updatedAt: finite,
    /**
     * What the journals held at this commit (size and sha256): a journal that differs at the next start is
     * refused by name. Absent in files written before journals were marked (they are then adopted).
     */
    journals: z.strictObject({ trades: JournalMarkSchema, equity: JournalMarkSchema }).optional(),
    /**
     * The deployed model cannot be loaded (bundle gone or changed, invalid manifest, other symbols): why,
     * and the first frame the trader held its positions because of it (null before one). Absent when the
     * model loads.
     */
    modelError: z.strictObject({ message: z.string(), sinceBarTs: finite.nullable() }).optional(),
  })
  .superRefine((s, ctx) => {
    for (const issue of consistencyIssues(s)) ctx.addIssue({ code: 'custom', ...issue });
  });
export type PaperState = z.infer<typeof PaperStateSchema>;

/** One line of trades.jsonl: a simulator Fill plus the model that made it and the frame's ts. */
export const TradeLineSchema = z.strictObject({
  ...FillSchema.shape,
  modelId: z.string().nullable(),
  barTs: finite,
});
export type TradeLine = z.infer<typeof TradeLineSchema>;

/** One line of equity.jsonl per applied frame: equity after the frame's trades, marked at its close. */
export const EquityLineSchema = z.strictObject({
  ts: finite,
  equity: finite,
  modelId: z.string().nullable(),
});
export type EquityLine = z.infer<typeof EquityLineSchema>;

/** A deployed model that cannot be loaded: why, and the first frame held because of it (null before one). */
export interface ModelProblem {
  readonly message: string;
  readonly sinceBarTs: number | null;
}

/** Everything a PaperState is built from. */
export interface PaperStateInput {
  readonly modelError?: ModelProblem | null;
  readonly model: ModelRef | null;
  readonly lastBarTs: number | null;
  readonly firstBarTs: number | null;
  readonly initialEquity: number;
  readonly equity: number;
  readonly pendingReset: boolean;
  readonly paused: boolean;
  readonly portfolio: PortfolioState;
  /** Last close of each symbol (NaN where unknown; only held symbols are read). */
  readonly prices: Float64Array;
  readonly updatedAt: number;
}

/** The state file's content for the current portfolio (pure). */
export function buildPaperState(input: PaperStateInput): PaperState {
  const p = input.portfolio;
  const positions: PaperPosition[] = [];
  p.symbols.forEach((symbol, i) => {
    const quantity = p.qty[i]!;
    if (!(quantity > 0)) return;
    const marketPrice = input.prices[i]!;
    const entryTs = p.entryTs[i]!;
    positions.push({
      symbol,
      quantity,
      avgEntryPrice: p.avgEntryPrice[i]!,
      entryTs: Number.isNaN(entryTs) ? null : entryTs,
      marketPrice,
      value: quantity * marketPrice,
    });
  });
  return {
    schemaVersion: 1,
    modelId: input.model?.modelId ?? null,
    model: input.model,
    symbols: [...p.symbols],
    lastBarTs: input.lastBarTs,
    firstBarTs: input.firstBarTs,
    initialEquity: input.initialEquity,
    cash: p.cash,
    equity: input.equity,
    positions,
    pendingReset: input.pendingReset,
    paused: input.paused,
    portfolio: snapshotPortfolio(p),
    updatedAt: input.updatedAt,
    ...(input.modelError ? { modelError: { ...input.modelError } } : {}),
  };
}
