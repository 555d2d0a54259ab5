// One lifecycle step of a portfolio through the shared Simulator: mark, ask the policy, trade (as sim/run.ts).
import { DataError, InvariantError, ModelError } from '../../core/errors.js';
import type { MarketData } from '../../market/market-data.js';
import type { Policy } from '../../models/index.js';
import type { PortfolioState, Simulator, StepListener } from '../../sim/index.js';
import type { FrameEvent } from '../contracts.js';

/** The DecisionContext handed to policies, reused from step to step (run.ts does the same). */
interface MutableContext {
  market: MarketData;
  t: number;
  readonly weights: Float64Array;
  equity: number;
}

/** What drives one step: a policy's decision, holding what is held (no model), or selling everything. */
export type StepDecision = { readonly policy: Policy } | 'hold' | 'liquidate';

/**
 * Steps portfolios frame by frame exactly as `runSimulation` does: `mark` (weights at close t), targets
 * pre-filled with NaN (a forgotten weight is refused, never last bar's), `policy.decide` with a thrown
 * error turned into a refusal (the simulator holds and reports it through `onReject`), then `trade`. The
 * paper trader and every arena member use this one path, so the same model on the same frames gives the
 * same equity bit for bit. Holds scratch buffers: one stepper serves one step at a time.
 */
export class PolicyStepper {
  private readonly weights: Float64Array;
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
  checkFrame(frame: FrameEvent): void {
    const { market, t, ts } = frame;
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

  /** Applies `frame` to `p` and returns equity after trading, marked at close. */
  step(p: PortfolioState, frame: FrameEvent, decision: StepDecision, listener?: StepListener): number {
    const { market, t } = frame;
    const targets = this.targets;
    const marked = this.sim.mark(p, market, t, this.weights);
    let rejectReason: string | null = null;
    if (decision === 'hold') {
      for (let i = 0; i < targets.length; i++) targets[i] = this.weights[i + 1]!;
    } else if (decision === 'liquidate') {
      targets.fill(0);
    } else {
      this.ctx ??= { market, t, weights: this.weights, equity: marked };
      const ctx = this.ctx;
      ctx.market = market;
      ctx.t = t;
      ctx.equity = marked;
      targets.fill(Number.NaN);
      try {
        decision.policy.decide(ctx, targets);
      } catch (error) {
        rejectReason = `policy threw: ${error instanceof Error ? error.message : String(error)}`;
      }
    }
    return this.sim.trade(p, market, t, marked, targets, listener, rejectReason);
  }
}

/** Throws ModelError unless the policy writes weights for exactly `symbols`, in order. */
export function assertPolicyFits(policy: Policy, symbols: readonly string[], modelId: string): void {
  if (policy.symbols.length !== symbols.length || policy.symbols.some((s, i) => s !== symbols[i]))
    throw new ModelError(
      'MODEL_SYMBOLS_MISMATCH',
      `model ${modelId} trades [${policy.symbols.join(', ')}] but the market is [${symbols.join(', ')}]`,
      { modelId },
    );
}
