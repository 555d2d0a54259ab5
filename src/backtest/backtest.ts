// A backtest: one policy through the simulator over a window of market data, with its metrics.

import { ConfigError } from '../core/errors.js';
import { periodsPerYear } from '../core/timeframe.js';
import { indexAtOrAfter, isoTs, type MarketData } from '../market/market-data.js';
import { computeMetrics, type PerformanceMetrics } from '../metrics/index.js';
import type { Policy } from '../models/index.js';
import { type Decider, type Fill, runSimulation, type SimConfig } from '../sim/index.js';

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
  /** Record what the policy saw and decided at every stepped bar (for --decisions). */
  collectDecisions?: boolean;
}

/**
 * What the policy saw and decided, one row per stepped bar: `[ts, cash weight, weight of each symbol (as
 * marked at the close, before trading), target weight of each symbol (as the policy wrote it; NaN when it
 * wrote none or threw)]`, so 2 + 2n columns.
 */
export interface DecisionRows {
  readonly columns: readonly string[];
  readonly rows: Float64Array;
  readonly count: number;
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
  decisions: DecisionRows | null;
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
  const recorder = options.collectDecisions ? recordDecisions(policy, market, to - from) : null;
  const run = runSimulation(market, recorder?.decider ?? policy, config, {
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
    decisions: recorder?.finish() ?? null,
  };
}

/** A decider that asks `policy` and copies what it saw and wrote into decision rows. */
function recordDecisions(policy: Policy, market: MarketData, bars: number) {
  const n = market.symbols.length;
  const width = 2 + 2 * n;
  const rows = new Float64Array(bars * width);
  let count = 0;
  const decider: Decider = {
    decide(ctx, out) {
      const row = rows.subarray(count * width, (count + 1) * width);
      count++;
      row[0] = market.ts[ctx.t]!;
      row.set(ctx.weights, 1);
      try {
        policy.decide(ctx, out);
      } finally {
        row.set(out, 2 + n);
      }
    },
  };
  const finish = (): DecisionRows => ({
    columns: [
      'ts',
      'cash',
      ...market.symbols.map((s) => `weight:${s}`),
      ...market.symbols.map((s) => `target:${s}`),
    ],
    rows: rows.subarray(0, count * width),
    count,
  });
  return { decider, finish };
}

function isoOrStart(ts: number | undefined): string {
  return ts === undefined ? 'the edge of the data' : isoTs(ts);
}
