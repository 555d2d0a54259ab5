// The one simulator: applies a closed frame to a portfolio (overlays, target weights -> orders, fills, fees).
import { InvariantError } from '../core/errors.js';
import type { SimConfig } from './config.js';
import type { FillReason, StepListener } from './fill.js';
import { markEquity, type PortfolioState } from './portfolio.js';
import { clampTargets, targetProblem } from './targets.js';

const REASONS: readonly FillReason[] = ['policy', 'stop-loss', 'trailing-stop', 'drawdown-stop'];
/** Orders smaller than this fraction of equity are float noise (a weight of 1e-300), never trades. */
const DUST_FRACTION = 1e-9;
const POLICY = 0;
const STOP_LOSS = 1;
const TRAILING_STOP = 2;
const DRAWDOWN_STOP = 3;

/**
 * Executes target weights against a portfolio at the close of one frame, exactly as DESIGN.md says:
 * mark at close, risk overlays, cap, sells before buys, slippage against the trade, fee on top of a buy
 * and out of a sell's proceeds, minimum notional, cash reserve. Holds scratch buffers, so one instance
 * serves one step at a time; it keeps no portfolio state of its own and does no I/O.
 */
export class Simulator {
  readonly config: Readonly<SimConfig>;
  readonly symbols: readonly string[];
  readonly timeframeMs: number;
  private readonly target: Float64Array;
  private readonly reason: Uint8Array;
  private readonly buyQty: Float64Array;
  private readonly buyFill: number;
  private readonly sellFill: number;

  constructor(config: Readonly<SimConfig>, symbols: readonly string[], timeframeMs: number) {
    this.config = config;
    this.symbols = symbols;
    this.timeframeMs = timeframeMs;
    const n = symbols.length;
    this.target = new Float64Array(n);
    this.reason = new Uint8Array(n);
    this.buyQty = new Float64Array(n);
    this.buyFill = 1 + config.slippageBps / 10_000;
    this.sellFill = 1 - config.slippageBps / 10_000;
  }

  /**
   * Applies the frame with open time `ts` and closes `close[offset .. offset + n)` to `p`, trading toward
   * `targets` (one weight per symbol, cash = the rest). Targets that fail `targetProblem`, or a non-null
   * `rejectReason`, are refused for this bar: positions are held and overlays still apply.
   * Returns equity after trading, marked at close. Throws InvariantError if `ts` is not after p.lastTs.
   */
  step(
    p: PortfolioState,
    close: Float64Array,
    offset: number,
    ts: number,
    targets: Float64Array,
    listener?: StepListener,
    rejectReason: string | null = null,
  ): number {
    if (ts <= p.lastTs)
      throw new InvariantError('BAR_REPLAYED', `bar ${ts} is not after the last applied bar ${p.lastTs}`, {
        ts,
      });
    const cfg = this.config;
    const n = this.symbols.length;
    const target = this.target;
    const reason = this.reason;
    const qty = p.qty;

    const equity = markEquity(p, close, offset);
    if (equity > p.peakEquity) p.peakEquity = equity;
    for (let i = 0; i < n; i++) {
      if (qty[i]! > 0 && !(close[offset + i]! <= p.peakPrice[i]!)) p.peakPrice[i] = close[offset + i]!;
    }

    const problem = rejectReason ?? targetProblem(targets, n);
    if (problem !== null) {
      p.rejectedSteps++;
      listener?.onReject?.(ts, problem);
      for (let i = 0; i < n; i++) target[i] = equity > 0 ? (qty[i]! * close[offset + i]!) / equity : 0;
    } else {
      target.set(targets);
      clampTargets(target);
      // The cap limits buying: a position that grew past it by price moves alone is not sold for that.
      const cap = cfg.maxWeight;
      for (let i = 0; i < n; i++) {
        if (target[i]! > cap) {
          const held = equity > 0 ? (qty[i]! * close[offset + i]!) / equity : 0;
          target[i] = held > cap ? Math.min(target[i]!, held) : cap;
        }
      }
    }
    reason.fill(POLICY);
    this.applyOverlays(p, close, offset, ts, equity, listener);

    this.sell(p, close, offset, ts, equity, listener);
    this.buy(p, close, offset, ts, equity, listener);
    p.lastTs = ts;
    return markEquity(p, close, offset);
  }

  /** Risk overlays rewrite `target` (and `reason`) before any order is made. */
  private applyOverlays(
    p: PortfolioState,
    close: Float64Array,
    offset: number,
    ts: number,
    equity: number,
    listener: StepListener | undefined,
  ): void {
    const o = this.config.overlays;
    const n = this.symbols.length;
    const target = this.target;
    const reason = this.reason;
    const qty = p.qty;

    if (Number.isFinite(p.haltedUntilTs) && ts >= p.haltedUntilTs) {
      // The cooldown is over: measure drawdown from here, not from the old peak (else it never releases).
      p.haltedUntilTs = Number.NEGATIVE_INFINITY;
      p.peakEquity = equity;
    }
    let halt = ts < p.haltedUntilTs;
    if (!halt && o.maxDrawdownPct !== null && equity <= p.peakEquity * (1 - o.maxDrawdownPct)) {
      halt = true;
      p.haltedUntilTs = ts + Math.max(1, o.drawdownCooldownBars) * this.timeframeMs;
      p.overlayExits++;
      listener?.onOverlay?.(ts, 'drawdown-stop', null);
    }
    if (halt) {
      for (let i = 0; i < n; i++) {
        target[i] = 0;
        if (qty[i]! > 0) reason[i] = DRAWDOWN_STOP;
      }
      return;
    }
    const stopLoss = o.stopLossPct;
    const trailing = o.trailingStopPct;
    const minHold = o.minHoldBars;
    if (stopLoss === null && trailing === null && minHold === 0) return;
    for (let i = 0; i < n; i++) {
      if (!(qty[i]! > 0)) continue;
      const price = close[offset + i]!;
      let exit = POLICY;
      if (stopLoss !== null && price <= p.avgEntryPrice[i]! * (1 - stopLoss)) exit = STOP_LOSS;
      else if (trailing !== null && price <= p.peakPrice[i]! * (1 - trailing)) exit = TRAILING_STOP;
      if (exit !== POLICY) {
        target[i] = 0;
        reason[i] = exit;
        p.overlayExits++;
        listener?.onOverlay?.(ts, REASONS[exit] as Exclude<FillReason, 'policy'>, this.symbols[i]!);
      } else if (minHold > 0 && (ts - p.entryTs[i]!) / this.timeframeMs < minHold) {
        const held = (qty[i]! * price) / equity;
        if (target[i]! < held) target[i] = held;
      }
    }
  }

  private sell(
    p: PortfolioState,
    close: Float64Array,
    offset: number,
    ts: number,
    equity: number,
    listener: StepListener | undefined,
  ): void {
    const { feeRate, minNotional } = this.config;
    const qty = p.qty;
    for (let i = 0; i < qty.length; i++) {
      const held = qty[i]!;
      if (!(held > 0)) continue;
      const mark = close[offset + i]!;
      const excess = held * mark - this.target[i]! * equity;
      if (!(excess > 0)) continue;
      // min(): rounding in excess / mark can exceed the holding by an ulp; never sell more than held.
      const q = this.target[i] === 0 ? held : Math.min(held, excess / mark);
      if (q * mark < minNotional || q * mark < equity * DUST_FRACTION) continue;
      const price = mark * this.sellFill;
      const notional = q * price;
      const fee = notional * feeRate;
      const pnl = notional - fee - q * p.avgCost[i]!;
      p.cash += notional - fee;
      qty[i] = q === held ? 0 : held - q;
      if (qty[i] === 0) {
        p.avgEntryPrice[i] = 0;
        p.avgCost[i] = 0;
        p.entryTs[i] = Number.NaN;
        p.peakPrice[i] = Number.NaN;
      }
      this.record(p, 'sell', i, ts, q, mark, price, notional, fee, pnl, listener);
    }
  }

  private buy(
    p: PortfolioState,
    close: Float64Array,
    offset: number,
    ts: number,
    equity: number,
    listener: StepListener | undefined,
  ): void {
    const { feeRate, minNotional, cashReserve } = this.config;
    const qty = p.qty;
    const buyQty = this.buyQty;
    const unitCost = this.buyFill * (1 + feeRate);
    let totalCost = 0;
    for (let i = 0; i < qty.length; i++) {
      const mark = close[offset + i]!;
      const wanted = this.target[i]! * equity - qty[i]! * mark;
      const q = wanted > 0 ? wanted / mark : 0;
      buyQty[i] = q;
      totalCost += q * mark * unitCost;
    }
    if (totalCost === 0) return;
    // Buys share what cash is left above the reserve, measured after the sells.
    const available = p.cash - cashReserve * markEquity(p, close, offset);
    // The tiny haircut keeps rounding from ever taking cash below the reserve.
    const spendable = Math.max(0, available * (1 - 1e-12));
    const scale = totalCost > spendable ? spendable / totalCost : 1;
    for (let i = 0; i < qty.length; i++) {
      const q = buyQty[i]! * scale;
      const mark = close[offset + i]!;
      if (!(q > 0) || q * mark < minNotional || q * mark < equity * DUST_FRACTION) continue;
      const price = mark * this.buyFill;
      const notional = q * price;
      const fee = notional * feeRate;
      const held = qty[i]!;
      const total = held + q;
      p.avgEntryPrice[i] = (held * p.avgEntryPrice[i]! + notional) / total;
      p.avgCost[i] = (held * p.avgCost[i]! + notional + fee) / total;
      if (held === 0) {
        p.entryTs[i] = ts;
        p.peakPrice[i] = mark;
      }
      qty[i] = total;
      p.cash -= notional + fee;
      this.record(p, 'buy', i, ts, q, mark, price, notional, fee, null, listener);
    }
  }

  private record(
    p: PortfolioState,
    side: 'buy' | 'sell',
    i: number,
    ts: number,
    quantity: number,
    markPrice: number,
    price: number,
    notional: number,
    fee: number,
    realisedPnl: number | null,
    listener: StepListener | undefined,
  ): void {
    p.fills++;
    p.feesPaid += fee;
    p.tradedNotional += notional;
    if (realisedPnl !== null) {
      p.realisedPnl += realisedPnl;
      p.sells++;
      if (realisedPnl > 0) p.winningSells++;
    }
    listener?.onFill?.({
      ts,
      symbol: this.symbols[i]!,
      side,
      quantity,
      markPrice,
      price,
      notional,
      fee,
      realisedPnl,
      reason: REASONS[this.reason[i]!]!,
      cashAfter: p.cash,
    });
  }
}
