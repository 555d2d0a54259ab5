// Replay: the whole lifecycle on historical bars, trials released at simulated times, as fast as possible:
// the frame loop on a historical feed, plus a collector of the series the replay reports.

import { join } from 'node:path';
import { HybridTraderError } from '../core/errors.js';
import { periodsPerYear } from '../core/timeframe.js';
import { createReplayFeed, type FrameEvent } from '../feeds/index.js';
import { type ArenaConfigInput, stepBenchmarksAlone } from '../lifecycle/arena/index.js';
import {
  DEPLOYMENT_HISTORY_FILE,
  type DeployerConfigInput,
  type DeploymentMode,
  HistoryEntrySchema,
} from '../lifecycle/deployer/index.js';
import { EquityLineSchema, paperPaths } from '../lifecycle/paper/index.js';
import { isoTs, type MarketData } from '../market/market-data.js';
import { computeMetrics } from '../metrics/index.js';
import type { SimConfig } from '../sim/index.js';
import { readJournal } from '../state/index.js';
import type { RankedTrial } from '../training/ranked-trials.js';
import { type FrameHook, runFrameLoop } from './frame-loop.js';
import { type InSampleModel, inSampleModels } from './in-sample.js';
import { type AppliedFrame, type Lifecycle, openLifecycle } from './lifecycle.js';
import type { ChartMarker, ChartSeries } from './report/equity-chart.js';
import { scheduleReleases } from './trial-release.js';

export interface ReplayOptions {
  /** Workspace of this run (state files, logs); a replay resumes from what is there. */
  readonly root: string;
  readonly history: MarketData;
  /** Frames [from, to) are replayed; earlier frames are warm-up history. */
  readonly from: number;
  readonly to: number;
  readonly mode: DeploymentMode;
  readonly studies: readonly string[];
  /** Completed trials of the studies (any order); released one every `releaseEveryMs` from `from`. */
  readonly trials: readonly RankedTrial[];
  readonly releaseEveryMs: number;
  readonly simConfig: Readonly<SimConfig>;
  readonly arena?: ArenaConfigInput;
  readonly scoreMargin?: number;
  /** The deployer's policy and its protection settings (default: the seed's). */
  readonly deployerPolicy?: Pick<DeployerConfigInput, 'policy' | 'protection'>;
  readonly packageVersion: string;
  /** Commit the state files every N frames (`--commit-every`); default HISTORICAL_COMMIT (commit-cadence.ts). */
  readonly commitEvery?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

/** The window a figure covers: first bar's open to last bar's close (ISO), and its length in hours. */
export interface FigureWindow {
  readonly from: string;
  readonly to: string;
  readonly hours: number;
}

/** A benchmark's figures over the replay's window, from its whole curve (first point: its starting equity). */
export interface BenchmarkFigures {
  /** "equal-weight" or "buy-and-hold" (the arena's benchmarks, same costs, caps and overlays). */
  readonly name: string;
  readonly returnPct: number | null;
  readonly sharpe: number | null;
  /** Probability that the true Sharpe is above 0 given the window's returns (PSR). */
  readonly psr: number | null;
  readonly maxDrawdownPct: number | null;
  readonly finalEquity: number;
}

export interface ReplayResult {
  readonly mode: DeploymentMode;
  readonly bars: number;
  /** The window every figure of this result covers (the paper trader's and the benchmarks'). */
  readonly window: FigureWindow;
  readonly returnPct: number | null;
  readonly sharpe: number | null;
  /** Probability that the paper trader's true Sharpe is above 0 given the window's returns (PSR). */
  readonly psr: number | null;
  readonly maxDrawdownPct: number | null;
  readonly finalEquity: number;
  readonly deployments: number;
  readonly promotions: number;
  readonly refusals: number;
  /**
   * The arena's benchmarks over the same window. Empty when this run did not see the window's first frame
   * (a resumed replay: the benchmarks' curves before the restart are not kept).
   */
  readonly benchmarks: readonly BenchmarkFigures[];
  /** Trials the replay could release, and those of them trained or validated on bars of its window. */
  readonly models: number;
  readonly inSample: readonly InSampleModel[];
  readonly series: ChartSeries[];
  readonly markers: ChartMarker[];
  readonly leaderboard: string;
  readonly deployed: string | null;
}

/**
 * Collects every arena member's equity (benchmarks included) at the close of each frame the arena applied,
 * starting with the equity it started from at the open of its first frame (so a curve's last point over its
 * first is its return), and reports progress. After a restart the first frames were applied before it: the
 * arena skips them (their points come from before the restart, which this run cannot see); the paper series
 * is read from its committed journal instead (see runReplay).
 */
export function arenaSeriesCollector(
  total: number,
  onProgress?: (done: number, total: number) => void,
): FrameHook & { readonly points: Map<string, [number, number][]> } {
  const points = new Map<string, [number, number][]>();
  let k = 0;
  return {
    points,
    afterFrame(frame: FrameEvent, life: Lifecycle, applied: Readonly<AppliedFrame>) {
      k++;
      if (!applied.arena) return;
      const close = frame.ts + frame.market.timeframeMs;
      for (const member of life.arena.equitySnapshot()) {
        let series = points.get(member.name);
        if (!series) {
          series = member.bars === 1 ? [[frame.ts, member.startingEquity]] : [];
          points.set(member.name, series);
        }
        series.push([close, member.equity]);
      }
      if (k % 200 === 0 || k === total) onProgress?.(k, total);
    },
  };
}

const NO_TRADES = { fills: 0, sells: 0, winningSells: 0, tradedNotional: 0, feesPaid: 0 };

/** A curve's figures (points in time order, the first one its starting equity). */
function curveFigures(points: readonly (readonly [number, number])[], periods: number) {
  const m = computeMetrics(
    points.map((p) => p[1]),
    periods,
    NO_TRADES,
  );
  return { returnPct: m.returnPct, sharpe: m.sharpe, psr: m.psr, maxDrawdownPct: m.maxDrawdownPct };
}

/**
 * Runs (or resumes) one replay through the frame loop (which holds the workspace's lock: a replay into a
 * workspace another run is using is refused) and summarises the paper trader's result and the decisions.
 * A stop signal ends it after the current frame with everything committed, and throws REPLAY_STOPPED
 * (an incomplete replay has no result to report).
 */
export async function runReplay(options: ReplayOptions): Promise<ReplayResult> {
  const { history, from, to } = options;
  const feed = createReplayFeed(history, from, to);
  const { trialsAt } = scheduleReleases(options.trials, history.ts[from]!, options.releaseEveryMs);
  const collector = arenaSeriesCollector(to - from, options.onProgress);
  const run = await runFrameLoop({
    root: options.root,
    feed,
    commitEvery: options.commitEvery,
    hooks: [collector],
    lifecycle: (f) =>
      openLifecycle({
        root: options.root,
        market: f.market,
        simConfig: options.simConfig,
        deployer: {
          mode: options.mode,
          studies: [...options.studies],
          scoreMargin: options.scoreMargin ?? 0,
          ...options.deployerPolicy,
        },
        arena: options.arena,
        trialsAt,
        packageVersion: options.packageVersion,
        // a bundle deleted during a replay is noticed within a simulated day: a file system call less per member and bar
        bundleCheckEveryMs: 24 * 3_600_000,
      }),
  });
  if (run.stopped)
    throw new HybridTraderError(
      'REPLAY_STOPPED',
      `replay stopped by a signal after ${run.frames} frame(s) of this run; its state is committed: run the same command again to resume`,
      { frames: run.frames },
    );
  const { life } = run;
  const tf = history.timeframeMs;
  const periods = periodsPerYear(tf);
  const firstTs = history.ts[from]!;
  const lastTs = history.ts[to - 1]!;
  // The paper trader's equity per frame of the window, from its committed journal: right across restarts.
  // Its first point is the equity it entered the window with, at the window's first open.
  let before = life.paper.initialEquity;
  const paperPoints: [number, number][] = [];
  for (const line of readJournal(paperPaths(options.root).equity, EquityLineSchema).entries) {
    if (line.ts < firstTs) before = line.equity;
    else if (line.ts <= lastTs) paperPoints.push([line.ts + tf, line.equity]);
  }
  paperPoints.unshift([firstTs, before]);
  const paper = curveFigures(paperPoints, periods);
  const decisions = readJournal(join(options.root, DEPLOYMENT_HISTORY_FILE), HistoryEntrySchema).entries;
  const markers: ChartMarker[] = decisions
    .filter((d) => d.action === 'deploy' || d.action === 'promote' || d.action === 'refuse')
    .map((d) => ({
      ts: d.cycleTs + tf,
      label: `${d.action} ${d.modelId ?? ''}: ${d.reason}`,
      kind: d.action as ChartMarker['kind'],
    }));
  const arenaSeries: ChartSeries[] = [...collector.points].map(([name, points]) => ({
    name,
    kind: name.startsWith('benchmark:') ? 'benchmark' : 'arena',
    points,
  }));
  const benchmarkSeries = wholeBenchmarkCurves(options, life, arenaSeries);
  const series: ChartSeries[] = [
    { name: `paper trader (${options.mode})`, kind: 'paper', points: paperPoints },
    ...arenaSeries.filter((s) => s.kind !== 'benchmark'),
    ...benchmarkSeries,
  ];
  const benchmarks: BenchmarkFigures[] = benchmarkSeries.map((s) => ({
    name: s.name.replace(/^benchmark: /, ''),
    ...curveFigures(s.points, periods),
    finalEquity: s.points[s.points.length - 1]![1],
  }));
  return {
    mode: options.mode,
    bars: paperPoints.length - 1,
    window: figureWindow(firstTs, lastTs + tf, tf * (to - from)),
    returnPct: paper.returnPct,
    sharpe: paper.sharpe,
    psr: paper.psr,
    maxDrawdownPct: paper.maxDrawdownPct,
    finalEquity: life.paper.equity,
    deployments: decisions.filter((d) => d.action === 'deploy').length,
    promotions: decisions.filter((d) => d.action === 'promote').length,
    refusals: decisions.filter((d) => d.action === 'refuse').length,
    benchmarks,
    models: options.trials.length,
    inSample: inSampleModels(options.root, options.trials, history, from, to),
    series,
    markers,
    leaderboard: life.arena.leaderboardText(),
    deployed: life.deployer.current?.modelId ?? null,
  };
}

/**
 * The benchmarks' curves over the whole window, from their starting equity at its first open: the arena's
 * own as this run collected them, or, when this run resumed after a restart (the frames before it were
 * collected by an earlier process), the benchmarks stepped again alone over the window from the equity
 * the arena started them with (the same policies, simulator and step: the same curves).
 */
function wholeBenchmarkCurves(
  options: ReplayOptions,
  life: Lifecycle,
  collected: readonly ChartSeries[],
): ChartSeries[] {
  const { history, from, to } = options;
  const collectedBenchmarks = collected.filter((s) => s.kind === 'benchmark');
  const whole = (s: ChartSeries) =>
    s.points[0]?.[0] === history.ts[from] && s.points.length === to - from + 1;
  if (collectedBenchmarks.length > 0 && collectedBenchmarks.every(whole)) return collectedBenchmarks;
  const started = life.arena.equitySnapshot().find((m) => m.role === 'benchmark');
  if (!started) return [];
  const feed = createReplayFeed(history, from, to);
  const frames = function* () {
    for (let f = feed.next(); f !== null; f = feed.next()) yield f;
  };
  const tf = history.timeframeMs;
  return stepBenchmarksAlone(history.symbols, options.simConfig, tf, started.startingEquity, frames()).map(
    (b) => ({
      name: `benchmark: ${b.name}`,
      kind: 'benchmark' as const,
      points: [
        [history.ts[from]!, started.startingEquity] as [number, number],
        ...b.equity.map((e, k) => [history.ts[from + k]! + tf, e] as [number, number]),
      ],
    }),
  );
}

/** The label of a window: [fromTs, toTs) as ISO, and its length in hours. */
export function figureWindow(fromTs: number, toTs: number, lengthMs = toTs - fromTs): FigureWindow {
  return { from: isoTs(fromTs), to: isoTs(toTs), hours: lengthMs / 3_600_000 };
}
