// Runs a decision source over a range of frames through the Simulator: the loop backtests and validation share.
import type { MarketData } from '../market/market-data.js';
import type { SimConfig } from './config.js';
import type { StepListener } from './fill.js';
import { createPortfolio, type PortfolioState } from './portfolio.js';
import { Simulator } from './simulator.js';

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

export interface RunOptions {
  /** First frame to trade (earlier frames are warm-up history the policy may read). Default 0. */
  from?: number;
  /** End frame, exclusive. Default market.length. */
  to?: number;
  /** Starting portfolio (mutated); default a fresh one with config.initialCash. */
  portfolio?: PortfolioState;
  listener?: StepListener;
}

export interface RunResult {
  portfolio: PortfolioState;
  /** equity[0] = equity before the first frame; equity[k + 1] = after trading at frame from + k. */
  equity: Float64Array;
  /** Per stepped frame: fraction of equity held in positions after trading. */
  invested: Float64Array;
  /** Frames stepped. */
  bars: number;
  from: number;
  to: number;
}

/** Steps `decider` through frames [from, to) of `market`, one Simulator step per frame. */
export function runSimulation(
  market: MarketData,
  decider: Decider,
  config: Readonly<SimConfig>,
  options: RunOptions = {},
): RunResult {
  const n = market.symbols.length;
  const from = Math.max(0, options.from ?? 0);
  const to = Math.min(market.length, options.to ?? market.length);
  const bars = Math.max(0, to - from);
  const sim = new Simulator(config, market.symbols, market.timeframeMs);
  const portfolio = options.portfolio ?? createPortfolio(market.symbols, config.initialCash);
  const listener = options.listener;
  const weights = new Float64Array(n + 1);
  const targets = new Float64Array(n);
  const ctx: DecisionContext = { market, t: from, weights, equity: 0 };
  const equity = new Float64Array(bars + 1);
  const invested = new Float64Array(bars);
  equity[0] = startEquity(portfolio, market, from);

  for (let t = from; t < to; t++) {
    const marked = sim.mark(portfolio, market, t, weights);
    ctx.equity = marked;
    ctx.t = t;
    let rejectReason: string | null = null;
    for (let i = 0; i < n; i++) targets[i] = Number.NaN; // a forgotten weight is refused, not last bar's
    try {
      decider.decide(ctx, targets);
    } catch (error) {
      rejectReason = `policy threw: ${error instanceof Error ? error.message : String(error)}`;
    }
    const after = sim.trade(portfolio, market, t, marked, targets, listener, rejectReason);
    equity[t - from + 1] = after;
    invested[t - from] = after > 0 ? 1 - portfolio.cash / after : 0;
  }
  return { portfolio, equity, invested, bars, from, to };
}

/** Equity before the first step: marked at the previous close when there is one, else at the first. */
function startEquity(p: PortfolioState, market: MarketData, from: number): number {
  const n = market.symbols.length;
  const row = from > 0 ? from - 1 : from;
  let e = p.cash;
  for (let i = 0; i < n; i++) e += p.qty[i]! * market.close[row * n + i]!;
  return e;
}
