// The one simulator: applies a closed frame to a portfolio (overlays, target weights -> orders, fills, fees).
import { InvariantError } from '../core/errors.js';
import type { MarketData } from '../market/market-data.js';
import type { SimConfig } from './config.js';
import type { FillReason, StepListener } from './fill.js';
import { createPortfolio, markEquity, type PortfolioState } from './portfolio.js';
import { targetProblem, WEIGHT_TOLERANCE } from './targets.js';

const REASONS: readonly FillReason[] = ['policy', 'stop-loss', 'trailing-stop', 'drawdown-stop'];
/** Orders smaller than this fraction of equity are float noise (a weight of 1e-300), never trades. */
const DUST_FRACTION = 1e-9;
/** acceptTargets' answer for weights that must be refused. */
const REFUSED = -1;
const POLICY = 0;
const STOP_LOSS = 1;
const TRAILING_STOP = 2;
const DRAWDOWN_STOP = 3;

/**
 * What the stages of one `trade` (refusal, overlays, sells, buys, fills) all read: the portfolio, the
 * closes of the frame (symbol i at `close[offset + i]`), its time, the equity marked at those closes before
 * any fill, and the listener. One instance per Simulator, refilled by each `trade`.
 */
class TradeFrame {
  p: PortfolioState = createPortfolio([], 0);
  close: Float64Array = new Float64Array(0);
  offset = 0;
  ts = 0;
  equity = 0;
  listener: StepListener | undefined = undefined;
}

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
  private readonly maxWeight: number;
  private readonly minNotional: number;
  /** max(rebalanceBand, DUST_FRACTION): the smallest order, as a fraction of equity, that can trade. */
  private readonly bandOrDust: number;
  /** False when no overlay is configured: the step then skips the overlay pass entirely. */
  private readonly overlaysActive: boolean;
  /** The frame `trade` is working on, for its stages; refilled by every call. */
  private readonly frame = new TradeFrame();

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
    this.maxWeight = config.maxWeight;
    this.minNotional = config.minNotional;
    this.bandOrDust = Math.max(config.rebalanceBand, DUST_FRACTION);
    const o = config.overlays;
    this.overlaysActive =
      o.stopLossPct !== null || o.trailingStopPct !== null || o.minHoldBars > 0 || o.maxDrawdownPct !== null;
  }

  /**
   * Applies frame `t` of `market` to `p`: `mark`, then `trade` toward `targets`. Returns equity after
   * trading, marked at close.
   */
  step(
    p: PortfolioState,
    market: MarketData,
    t: number,
    targets: Float64Array,
    listener?: StepListener,
    rejectReason: string | null = null,
  ): number {
    const equity = this.mark(p, market, t);
    return this.trade(p, market, t, equity, targets, listener, rejectReason);
  }

  /**
   * Marks `p` at the closes of frame `t`: returns equity, raises the peaks the stops measure from, and
   * writes [cash weight, weight per symbol] into `weightsOut` when given. Idempotent for one bar.
   */
  mark(p: PortfolioState, market: MarketData, t: number, weightsOut?: Float64Array): number {
    const close = market.close;
    const qty = p.qty;
    const n = qty.length;
    const offset = t * n;
    let equity = p.cash;
    for (let i = 0; i < n; i++) {
      const q = qty[i]!;
      if (q > 0) {
        const price = close[offset + i]!;
        equity += q * price;
        if (!(price <= p.peakPrice[i]!)) p.peakPrice[i] = price;
      }
    }
    if (equity > p.peakEquity) p.peakEquity = equity;
    if (weightsOut !== undefined) {
      weightsOut[0] = equity > 0 ? p.cash / equity : 1;
      for (let i = 0; i < n; i++)
        weightsOut[i + 1] = equity > 0 ? (qty[i]! * close[offset + i]!) / equity : 0;
    }
    return equity;
  }

  /**
   * Trades `p` toward `targets` (one weight per symbol, cash = the rest) at the closes of frame `t`, given
   * the `equity` that `mark` returned for it. Targets that fail `targetProblem`, or a non-null
   * `rejectReason`, are refused for this bar: positions are held and overlays still apply.
   * Returns equity after trading. Throws InvariantError unless frame t is after p.lastTs (exactly once).
   */
  trade(
    p: PortfolioState,
    market: MarketData,
    t: number,
    equity: number,
    targets: Float64Array,
    listener?: StepListener,
    rejectReason?: string | null,
  ): number {
    // Kept small on purpose: V8 inlines it into the bar loop only while its bytecode (with acceptTargets
    // and mark) fits the inlining budget, and a call it does not inline boxes every double passed or
    // returned. So the rare paths live in their own methods, and no default parameter (which makes V8
    // copy every argument on entry).
    const ts = market.ts[t]!;
    if (!(ts > p.lastTs)) checkNotReplayed(ts, p.lastTs);
    const close = market.close;
    const offset = t * p.qty.length;
    const f = this.frame;
    f.p = p;
    f.close = close;
    f.offset = offset;
    f.ts = ts;
    f.equity = equity;
    f.listener = listener;
    let orders = rejectReason == null ? this.acceptTargets(p, close, offset, equity, targets) : REFUSED;
    if (orders === REFUSED) {
      this.holdRefused(f, targets, rejectReason);
      orders = 0; // the held weights need no orders
    }
    if (this.overlaysActive || p.haltedUntilTs !== Number.NEGATIVE_INFINITY) {
      this.applyOverlays(f);
      orders = this.ordersNeeded(p, close, offset, equity) ? 1 : 0;
    }
    p.lastTs = ts;
    return orders > 0 ? this.execute(f) : equity;
  }

  /**
   * Copies the policy's weights into `target`, clamping float noise into [0, 1] and applying the cap.
   * Returns REFUSED (target left unfinished) for weights `targetProblem` refuses (wrong length, out of
   * range, NaN, sum > 1), else how many symbols may need an order (0: targets already met). One pass,
   * because this runs on every bar.
   */
  private acceptTargets(
    p: PortfolioState,
    close: Float64Array,
    offset: number,
    equity: number,
    targets: Float64Array,
  ): number {
    const target = this.target;
    if (targets.length !== target.length) return REFUSED;
    const reason = this.reason;
    const qty = p.qty;
    const cap = this.maxWeight;
    const threshold = this.orderThreshold(equity);
    let sum = 0;
    let orders = 0;
    for (let i = 0; i < target.length; i++) {
      const raw = targets[i]!;
      // One range test also catches NaN and infinities.
      if (!(raw >= -WEIGHT_TOLERANCE && raw <= 1 + WEIGHT_TOLERANCE)) return REFUSED;
      sum += raw;
      const w = raw < 0 ? 0 : Math.min(raw, 1);
      const value = qty[i]! * close[offset + i]!;
      // The cap limits buying: a position that grew past it by price moves alone is not sold for that.
      const goal = w <= cap ? w : value > cap * equity ? Math.min(w, value / equity) : cap;
      target[i] = goal;
      reason[i] = POLICY;
      const diff = goal * equity - value;
      if (diff >= threshold || -diff >= threshold || (goal === 0 && value > 0)) orders++;
    }
    return sum <= 1 + WEIGHT_TOLERANCE ? orders : REFUSED;
  }

  /** The smallest order that can trade: max(minimum notional, band or dust x equity). */
  private orderThreshold(equity: number): number {
    return Math.max(equity * this.bandOrDust, this.minNotional);
  }

  /** A refused output: count and report it, and target the weights already held. */
  private holdRefused(f: TradeFrame, targets: Float64Array, rejectReason: string | null | undefined): void {
    const { p, close, offset, ts, equity, listener } = f;
    p.rejectedSteps++;
    listener?.onReject?.(ts, rejectReason ?? targetProblem(targets, p.qty.length) ?? 'refused');
    for (let i = 0; i < this.target.length; i++) {
      this.reason[i] = POLICY;
      this.target[i] = equity > 0 ? (p.qty[i]! * close[offset + i]!) / equity : 0;
    }
  }

  /** Sells, then buys; returns equity after the fills. */
  private execute(f: TradeFrame): number {
    const { p } = f;
    const fillsBefore = p.fills;
    this.sell(f);
    this.buy(f);
    return p.fills === fillsBefore ? f.equity : markEquity(p, f.close, f.offset);
  }

  /**
   * Whether any symbol's order could pass the size filters, after the overlays rewrote the targets. A
   * conservative pre-check (acceptTargets makes the same one): `sell` and `buy` apply the exact rules.
   */
  private ordersNeeded(p: PortfolioState, close: Float64Array, offset: number, equity: number): boolean {
    const threshold = this.orderThreshold(equity);
    const qty = p.qty;
    const target = this.target;
    for (let i = 0; i < qty.length; i++) {
      const value = qty[i]! * close[offset + i]!;
      const diff = target[i]! * equity - value;
      // An exit to zero ignores the band, so any holding with a zero target counts.
      if (diff >= threshold || -diff >= threshold || (target[i] === 0 && value > 0)) return true;
    }
    return false;
  }

  /** Risk overlays rewrite `target` (and `reason`) before any order is made. */
  private applyOverlays(f: TradeFrame): void {
    const { p, close, offset, ts, equity, listener } = f;
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

  private sell(f: TradeFrame): void {
    const { p, close, offset, equity } = f;
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
      if (q < held && excess < this.config.rebalanceBand * equity) continue;
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
      this.record(f, 'sell', i, q, mark, price, notional, fee, pnl);
    }
  }

  private buy(f: TradeFrame): void {
    const { p, close, offset, ts, equity } = f;
    const { feeRate, minNotional, cashReserve, rebalanceBand: band } = this.config;
    const qty = p.qty;
    const buyQty = this.buyQty;
    const unitCost = this.buyFill * (1 + feeRate);
    let totalCost = 0;
    for (let i = 0; i < qty.length; i++) {
      const mark = close[offset + i]!;
      const wanted = this.target[i]! * equity - qty[i]! * mark;
      const q = wanted > 0 && wanted >= band * equity ? wanted / mark : 0;
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
      this.record(f, 'buy', i, q, mark, price, notional, fee, null);
    }
  }

  private record(
    f: TradeFrame,
    side: 'buy' | 'sell',
    i: number,
    quantity: number,
    markPrice: number,
    price: number,
    notional: number,
    fee: number,
    realisedPnl: number | null,
  ): void {
    const { p, ts, listener } = f;
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

/** Called when ts is not after lastTs: fine only before the first bar (lastTs NaN), else a replay. */
function checkNotReplayed(ts: number, lastTs: number): void {
  if (Number.isNaN(lastTs)) return;
  throw new InvariantError('BAR_REPLAYED', `bar ${ts} is not after the last applied bar ${lastTs}`, {
    ts,
    lastTs,
  });
}
