// The one policy step: mark a portfolio at the close of frame t, ask for target weights, trade them.
import { DataError, InvariantError } from '../core/errors.js';
import type { MarketData } from '../market/market-data.js';
import type { StepListener } from './fill.js';
import type { PortfolioState } from './portfolio.js';
import type { Simulator } from './simulator.js';

/** What a policy sees at the close of frame `t`: bars up to t only, and its own portfolio. */
export interface DecisionContext {
  readonly market: MarketData;
  /** Index of the frame that just closed. Reading market arrays beyond t is look-ahead. */
  t: number;
  /** [cash weight, weight of each symbol], marked at close t, before trading. */
  readonly weights: Float64Array;
  /** Equity marked at close t, before trading. */
  equity: number;
}

/** Anything that turns a decision context into target weights: a Policy, a rule, a model wrapper. */
export interface Decider {
  /** Writes one target weight per symbol into `out`. May throw; the step is then refused. */
  decide(ctx: DecisionContext, out: Float64Array): void;
}

/** What drives one step: a decision source asked at close t, holding what is held (no model), or selling everything. */
export type StepDecision = Decider | 'hold' | 'liquidate';

/** The DecisionContext handed to deciders, reused from step to step. */
interface MutableContext {
  market: MarketData;
  t: number;
  readonly weights: Float64Array;
  equity: number;
}

/**
 * Steps portfolios frame by frame through one Simulator: `mark` (weights at close t), then the decision
 * (a decider's targets are pre-filled with NaN, so a forgotten weight is refused, never last bar's; a
 * thrown error becomes a refusal that the simulator holds and reports through `onReject`), then `trade`.
 * runSimulation (backtests, validation), the paper trader, every arena member and the training
 * environment step through this one path, so the same model on the same frames gives the same equity bit
 * for bit wherever it runs. Holds scratch buffers: one stepper serves one step at a time.
 */
export class PolicyStepper {
  /** [cash weight, weight per symbol] marked at the close of the last step, before trading. */
  readonly weights: Float64Array;
  private readonly targets: Float64Array;
  private ctx: MutableContext | null = null;
  /** The last market object whose universe was checked (markets are checked once, frames every time). */
  private checked: MarketData | null = null;

  constructor(readonly sim: Simulator) {
    const n = sim.symbols.length;
    this.weights = new Float64Array(n + 1);
    this.targets = new Float64Array(n);
  }

  /**
   * Refuses a frame of another universe or timeframe (DataError) or whose ts is not market.ts[t]
   * (InvariantError): a service must never step a portfolio on bars it was not built for.
   */
  checkFrame(market: MarketData, t: number, ts: number): void {
    if (market !== this.checked) {
      const symbols = this.sim.symbols;
      if (market.symbols.length !== symbols.length || market.symbols.some((s, i) => s !== symbols[i]))
        throw new DataError(
          'FRAME_UNIVERSE_MISMATCH',
          `frame symbols [${market.symbols.join(', ')}] differ from the service's [${symbols.join(', ')}]`,
        );
      if (market.timeframeMs !== this.sim.timeframeMs)
        throw new DataError(
          'FRAME_TIMEFRAME_MISMATCH',
          `frame timeframe ${market.timeframeMs} ms differs from the service's ${this.sim.timeframeMs} ms`,
        );
      this.checked = market;
    }
    if (!(t >= 0 && t < market.length) || market.ts[t] !== ts)
      throw new InvariantError('FRAME_TS_MISMATCH', `frame ts ${ts} is not market.ts[${t}]`, { ts, t });
  }

  /**
   * Applies frame `t` of `market` to `p` as `decision` says; returns equity after trading, marked at close.
   * Throws what Simulator.trade throws (a frame not after the portfolio's last one).
   */
  step(
    p: PortfolioState,
    market: MarketData,
    t: number,
    decision: StepDecision,
    listener?: StepListener,
  ): number {
    // Small on purpose, like Simulator.trade: V8 inlines it (with mark, ask and trade) into callers' loops.
    const marked = this.sim.mark(p, market, t, this.weights);
    const rejectReason =
      typeof decision === 'string' ? this.fixed(decision) : this.ask(decision, market, t, marked);
    return this.sim.trade(p, market, t, marked, this.targets, listener, rejectReason);
  }

  /** Asks `decider` for targets at close t; returns why they must be refused (it threw) or null. */
  private ask(decider: Decider, market: MarketData, t: number, equity: number): string | null {
    this.ctx ??= { market, t, weights: this.weights, equity };
    const ctx = this.ctx;
    ctx.market = market;
    ctx.t = t;
    ctx.equity = equity;
    const targets = this.targets;
    for (let i = 0; i < targets.length; i++) targets[i] = Number.NaN;
    try {
      decider.decide(ctx, targets);
      return null;
    } catch (error) {
      return `policy threw: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  /** Targets without a decider: the weights held now ('hold') or none ('liquidate'). */
  private fixed(decision: 'hold' | 'liquidate'): null {
    const targets = this.targets;
    if (decision === 'hold') for (let i = 0; i < targets.length; i++) targets[i] = this.weights[i + 1]!;
    else targets.fill(0);
    return null;
  }
}
