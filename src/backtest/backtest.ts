// A backtest: one policy through the simulator over a window of market data, with its metrics.

import { ConfigError } from '../core/errors.js';
import { periodsPerYear } from '../core/timeframe.js';
import { indexAtOrAfter, isoTs, type MarketData } from '../market/market-data.js';
import { computeMetrics, type PerformanceMetrics } from '../metrics/index.js';
import type { Policy } from '../models/index.js';
import { type Fill, runSimulation, type SimConfig } from '../sim/index.js';

export interface BacktestOptions {
  market: MarketData;
  policy: Policy;
  config: Readonly<SimConfig>;
  /** First bar to trade (epoch ms, inclusive); earlier bars remain warm-up history. Default: first bar. */
  fromTs?: number;
  /** End of the window (epoch ms, exclusive). Default: after the last bar. */
  toTs?: number;
  /** Annualisation; default from the timeframe (8760 for 1h). */
  periodsPerYear?: number;
  /** Collect every fill (for --trades); off by default to keep big runs lean. */
  collectFills?: boolean;
}

export interface BacktestResult extends PerformanceMetrics {
  model: string;
  symbols: readonly string[];
  /** ISO open time of the first and last traded bar. */
  from: string;
  to: string;
  rejectedSteps: number;
  overlayExits: number;
  equity: Float64Array;
  fills: Fill[];
}

/** Runs `policy` over the window and returns its metrics (DESIGN.md definitions) and equity curve. */
export function runBacktest(options: BacktestOptions): BacktestResult {
  const { market, policy, config } = options;
  const from = options.fromTs === undefined ? 0 : indexAtOrAfter(market, options.fromTs);
  const to = options.toTs === undefined ? market.length : indexAtOrAfter(market, options.toTs);
  if (to - from < 1)
    throw new ConfigError(
      'BACKTEST_WINDOW_EMPTY',
      `no bars between ${isoOrStart(options.fromTs)} and ${isoOrStart(options.toTs)}; the data covers ${isoTs(market.ts[0]!)} to ${isoTs(market.ts[market.length - 1]!)}`,
    );
  const fills: Fill[] = [];
  const run = runSimulation(market, policy, config, {
    from,
    to,
    listener: options.collectFills ? { onFill: (f) => fills.push(f) } : undefined,
  });
  const ppy = options.periodsPerYear ?? periodsPerYear(market.timeframeMs);
  return {
    model: policy.name,
    symbols: market.symbols,
    from: isoTs(market.ts[from]!),
    to: isoTs(market.ts[to - 1]!),
    ...computeMetrics(run.equity, ppy, run.portfolio, run.invested),
    rejectedSteps: run.portfolio.rejectedSteps,
    overlayExits: run.portfolio.overlayExits,
    equity: run.equity,
    fills,
  };
}

function isoOrStart(ts: number | undefined): string {
  return ts === undefined ? 'the edge of the data' : isoTs(ts);
}
