// Portfolio state of the simulator: cash and per-symbol positions in typed arrays, plus exact (de)serialisation.
import { z } from 'zod';
import { StateError } from '../core/errors.js';
import { formatIssues } from '../core/schema-issues.js';

/**
 * Mutable portfolio state owned by one simulator instance. Arrays are indexed like the market's symbols.
 * Invariant: equity = cash + sum(qty[i] x close[i]); qty >= 0 (long-only spot); a flat position has
 * qty 0 and entryTs NaN.
 */
export interface PortfolioState {
  readonly symbols: readonly string[];
  cash: number;
  /** Units of each asset held. */
  qty: Float64Array;
  /** Quantity-weighted average fill price of the open position (slippage included, fees excluded). */
  avgEntryPrice: Float64Array;
  /** Cost per unit of the open position including buy fees: the basis of realised PnL. */
  avgCost: Float64Array;
  /** Open time (ms) of the bar at whose close the position was opened; NaN when flat. */
  entryTs: Float64Array;
  /** Highest close since the position was opened (trailing stop reference); NaN when flat. */
  peakPrice: Float64Array;
  /** Highest marked equity seen (drawdown stop reference). */
  peakEquity: number;
  /** The drawdown stop keeps the portfolio flat while bar ts < haltedUntilTs. */
  haltedUntilTs: number;
  /** ts of the last bar applied; NaN before the first. */
  lastTs: number;
  /** Running totals, for metrics and reports. */
  fills: number;
  feesPaid: number;
  tradedNotional: number;
  rejectedSteps: number;
  overlayExits: number;
  realisedPnl: number;
  winningSells: number;
  sells: number;
}

/** A fresh all-cash portfolio. */
export function createPortfolio(symbols: readonly string[], initialCash: number): PortfolioState {
  const n = symbols.length;
  const nan = () => new Float64Array(n).fill(Number.NaN);
  return {
    symbols: Object.freeze([...symbols]),
    cash: initialCash,
    qty: new Float64Array(n),
    avgEntryPrice: new Float64Array(n),
    avgCost: new Float64Array(n),
    entryTs: nan(),
    peakPrice: nan(),
    peakEquity: initialCash,
    haltedUntilTs: Number.NEGATIVE_INFINITY,
    lastTs: Number.NaN,
    fills: 0,
    feesPaid: 0,
    tradedNotional: 0,
    rejectedSteps: 0,
    overlayExits: 0,
    realisedPnl: 0,
    winningSells: 0,
    sells: 0,
  };
}

/** Equity marked at `prices` (row of closes, same order as symbols). */
export function markEquity(p: PortfolioState, prices: Float64Array, offset = 0): number {
  let equity = p.cash;
  const qty = p.qty;
  for (let i = 0; i < qty.length; i++) equity += qty[i]! * prices[offset + i]!;
  return equity;
}

/** Writes [cash weight, weight of each symbol] at `prices` into `out` (length 1 + n); returns the equity. */
export function currentWeights(
  p: PortfolioState,
  prices: Float64Array,
  offset: number,
  out: Float64Array,
): number {
  const equity = markEquity(p, prices, offset);
  const qty = p.qty;
  out[0] = equity > 0 ? p.cash / equity : 1;
  for (let i = 0; i < qty.length; i++) out[i + 1] = equity > 0 ? (qty[i]! * prices[offset + i]!) / equity : 0;
  return equity;
}

/** A deep copy, sharing no memory with the original. */
export function clonePortfolio(p: PortfolioState): PortfolioState {
  return {
    ...p,
    qty: p.qty.slice(),
    avgEntryPrice: p.avgEntryPrice.slice(),
    avgCost: p.avgCost.slice(),
    entryTs: p.entryTs.slice(),
    peakPrice: p.peakPrice.slice(),
  };
}

const finite = z.number().finite();
const nullableTs = finite.nullable();

/** JSON form of a portfolio. Numbers survive JSON exactly (shortest round-trip repr); NaN becomes null. */
export const PortfolioSnapshotSchema = z
  .object({
    cash: finite,
    positions: z.array(
      z
        .object({
          symbol: z.string().min(1),
          quantity: finite.min(0),
          avgEntryPrice: finite.min(0),
          avgCost: finite.min(0),
          entryTs: nullableTs,
          peakPrice: finite.nullable(),
        })
        .strict(),
    ),
    peakEquity: finite,
    haltedUntilTs: nullableTs,
    lastTs: nullableTs,
    counters: z
      .object({
        fills: z.number().int().min(0),
        feesPaid: finite.min(0),
        tradedNotional: finite.min(0),
        rejectedSteps: z.number().int().min(0),
        overlayExits: z.number().int().min(0),
        realisedPnl: finite,
        winningSells: z.number().int().min(0),
        sells: z.number().int().min(0),
      })
      .strict(),
  })
  .strict();

export type PortfolioSnapshot = z.infer<typeof PortfolioSnapshotSchema>;

const nanToNull = (x: number): number | null => (Number.isNaN(x) ? null : x);

/** Snapshot for a state file; `restorePortfolio(snapshotPortfolio(p))` equals p exactly. */
export function snapshotPortfolio(p: PortfolioState): PortfolioSnapshot {
  return {
    cash: p.cash,
    positions: p.symbols.map((symbol, i) => ({
      symbol,
      quantity: p.qty[i]!,
      avgEntryPrice: p.avgEntryPrice[i]!,
      avgCost: p.avgCost[i]!,
      entryTs: nanToNull(p.entryTs[i]!),
      peakPrice: nanToNull(p.peakPrice[i]!),
    })),
    peakEquity: p.peakEquity,
    haltedUntilTs: Number.isFinite(p.haltedUntilTs) ? p.haltedUntilTs : null,
    lastTs: nanToNull(p.lastTs),
    counters: {
      fills: p.fills,
      feesPaid: p.feesPaid,
      tradedNotional: p.tradedNotional,
      rejectedSteps: p.rejectedSteps,
      overlayExits: p.overlayExits,
      realisedPnl: p.realisedPnl,
      winningSells: p.winningSells,
      sells: p.sells,
    },
  };
}

/**
 * Rebuilds a portfolio for `symbols` from a snapshot (unknown input is validated). Refuses, with a
 * StateError naming the field, a snapshot that fails the schema or whose symbols differ in name or order.
 */
export function restorePortfolio(
  input: unknown,
  symbols: readonly string[],
  source = 'portfolio',
): PortfolioState {
  const parsed = PortfolioSnapshotSchema.safeParse(input);
  if (!parsed.success)
    throw new StateError('PORTFOLIO_INVALID', `${source}: ${formatIssues(parsed.error, input)}`, {
      source,
      issues: parsed.error.issues,
    });
  const s = parsed.data;
  const found = s.positions.map((x) => x.symbol);
  if (found.length !== symbols.length || found.some((sym, i) => sym !== symbols[i]))
    throw new StateError(
      'PORTFOLIO_SYMBOLS_MISMATCH',
      `${source}: positions are for [${found.join(', ')}] but the market is [${symbols.join(', ')}]`,
      { source, found, expected: symbols },
    );
  const p = createPortfolio(symbols, s.cash);
  s.positions.forEach((pos, i) => {
    p.qty[i] = pos.quantity;
    p.avgEntryPrice[i] = pos.avgEntryPrice;
    p.avgCost[i] = pos.avgCost;
    p.entryTs[i] = pos.entryTs ?? Number.NaN;
    p.peakPrice[i] = pos.peakPrice ?? Number.NaN;
  });
  p.peakEquity = s.peakEquity;
  p.haltedUntilTs = s.haltedUntilTs ?? Number.NEGATIVE_INFINITY;
  p.lastTs = s.lastTs ?? Number.NaN;
  Object.assign(p, s.counters);
  return p;
}
