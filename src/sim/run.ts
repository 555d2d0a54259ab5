// Runs a decision source over a range of frames through the Simulator: the loop backtests and validation share.
import type { MarketData } from '../market/market-data.js';
import type { SimConfig } from './config.js';
import type { StepListener } from './fill.js';
import { type Decider, PolicyStepper } from './policy-step.js';
import { createPortfolio, type PortfolioState } from './portfolio.js';
import { Simulator } from './simulator.js';

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

/** Steps `decider` through frames [from, to) of `market`, one policy step (PolicyStepper) per frame. */
export function runSimulation(
  market: MarketData,
  decider: Decider,
  config: Readonly<SimConfig>,
  options: RunOptions = {},
): RunResult {
  const from = Math.max(0, options.from ?? 0);
  const to = Math.min(market.length, options.to ?? market.length);
  const bars = Math.max(0, to - from);
  const stepper = new PolicyStepper(new Simulator(config, market.symbols, market.timeframeMs));
  const portfolio = options.portfolio ?? createPortfolio(market.symbols, config.initialCash);
  const listener = options.listener;
  const equity = new Float64Array(bars + 1);
  const invested = new Float64Array(bars);
  equity[0] = startEquity(portfolio, market, from);

  for (let t = from; t < to; t++) {
    const after = stepper.step(portfolio, market, t, decider, listener);
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
