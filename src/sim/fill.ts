// A fill: one executed order of the simulator, as written to trade journals.
import { z } from 'zod';

/** Why an order was sent: the policy's target, or a risk overlay forcing an exit. */
export const FillReasonSchema = z.enum(['policy', 'stop-loss', 'trailing-stop', 'drawdown-stop']);
export type FillReason = z.infer<typeof FillReasonSchema>;

export const FillSchema = z
  .object({
    /** Open time (ms) of the bar at whose close the order filled. */
    ts: z.number(),
    symbol: z.string(),
    side: z.enum(['buy', 'sell']),
    /** Units bought or sold, > 0. */
    quantity: z.number().positive(),
    /** Close of the bar (the mark). */
    markPrice: z.number().positive(),
    /** Close adjusted by slippage against the trade. */
    price: z.number().positive(),
    /** quantity x price. */
    notional: z.number().positive(),
    /** feeRate x notional, >= 0. */
    fee: z.number().min(0),
    /** Sells only: proceeds net of fee minus the position's cost basis (buy fees included). */
    realisedPnl: z.number().nullable(),
    reason: FillReasonSchema,
    /** Cash after this fill. */
    cashAfter: z.number(),
  })
  .strict();

export type Fill = z.infer<typeof FillSchema>;

/** Observers of one simulator step. All optional; none may mutate what it is given. */
export interface StepListener {
  onFill?(fill: Fill): void;
  /** A policy output was refused for this bar: positions were held (overlays still applied). */
  onReject?(ts: number, reason: string): void;
  /** A risk overlay forced an exit (symbol null for the portfolio drawdown stop). */
  onOverlay?(ts: number, reason: Exclude<FillReason, 'policy'>, symbol: string | null): void;
}
