// Turns each symbol's closed candles into complete frames, in order: never a partial frame, never a zero price.
import { type Bar, barProblem } from '../../market/bar.js';

/** An invalid candle (price <= 0, non-finite value, high < low, ...): logged, never used. */
export interface InvalidBar {
  readonly symbol: string;
  readonly ts: number;
  readonly problem: string;
}

/** What becomes of one frame time. */
export type FrameDecision =
  | { readonly kind: 'frame'; readonly ts: number; readonly bars: readonly Bar[] }
  | {
      readonly kind: 'skip';
      readonly ts: number;
      /** Symbols without a candle at ts. */
      readonly missing: readonly string[];
      /** Symbols whose candle at ts is invalid. */
      readonly invalid: readonly InvalidBar[];
    };

export interface FrameAssemblyInput {
  /** The universe, in frame order. */
  readonly symbols: readonly string[];
  /** Per symbol (same order), its closed candles keyed by open time. */
  readonly candles: readonly ReadonlyMap<number, Bar>[];
  /** First and last frame time to decide, inclusive, on the grid of `timeframeMs`. */
  readonly fromTs: number;
  readonly toTs: number;
  readonly timeframeMs: number;
  readonly nowMs: number;
  /** How long after its close a frame may stay incomplete before it is skipped, ms. */
  readonly deadlineMs: number;
}

export interface FrameAssembly {
  /** Frames and skips in time order, without a gap from `fromTs` up to `waitingAt` (or `toTs`). */
  readonly decisions: readonly FrameDecision[];
  /** The first frame time still incomplete within its deadline (nothing after it is decided), or null. */
  readonly waitingAt: number | null;
  /** Every invalid candle met among the frames examined. */
  readonly invalid: readonly InvalidBar[];
}

/**
 * Decides frames `fromTs..toTs` in order. A frame where every symbol has a valid candle is emitted; an
 * incomplete one is skipped once `nowMs >= ts + timeframeMs + deadlineMs`, else assembly stops there
 * (later frames wait for it: frames are stepped in order). Missing or invalid bars are never filled.
 * Only call it with candles from a successful fetch covering the range: absence then means the exchange
 * has no such candle, not that it could not be asked.
 */
export function assembleFrames(input: FrameAssemblyInput): FrameAssembly {
  const { symbols, candles, timeframeMs } = input;
  const decisions: FrameDecision[] = [];
  const invalidSeen: InvalidBar[] = [];
  for (let ts = input.fromTs; ts <= input.toTs; ts += timeframeMs) {
    const bars: Bar[] = [];
    const missing: string[] = [];
    const invalid: InvalidBar[] = [];
    for (const [i, symbol] of symbols.entries()) {
      const candle = candles[i]!.get(ts);
      const problem = candle === undefined ? null : barProblem(candle);
      if (candle === undefined) missing.push(symbol);
      else if (problem === null) bars.push(candle);
      else invalid.push({ symbol, ts, problem });
    }
    invalidSeen.push(...invalid);
    if (bars.length === symbols.length) decisions.push({ kind: 'frame', ts, bars });
    else if (input.nowMs >= ts + timeframeMs + input.deadlineMs)
      decisions.push({ kind: 'skip', ts, missing, invalid });
    else return { decisions, waitingAt: ts, invalid: invalidSeen };
  }
  return { decisions, waitingAt: null, invalid: invalidSeen };
}
