// Replay: the whole lifecycle on historical bars, trials released at simulated times, as fast as possible:
// the frame loop on a historical feed, plus a collector of the series the replay reports.

import { join } from 'node:path';
import { HybridTraderError } from '../core/errors.js';
import { periodsPerYear } from '../core/timeframe.js';
import { createReplayFeed, type FrameEvent } from '../feeds/index.js';
import type { ArenaConfigInput } from '../lifecycle/arena/index.js';
import {
  DEPLOYMENT_HISTORY_FILE,
  type DeployerConfigInput,
  type DeploymentMode,
  HistoryEntrySchema,
} from '../lifecycle/deployer/index.js';
import { EquityLineSchema, paperPaths } from '../lifecycle/paper/index.js';
import type { MarketData } from '../market/market-data.js';
import { computeMetrics } from '../metrics/index.js';
import type { SimConfig } from '../sim/index.js';
import { readJournal } from '../state/index.js';
import type { RankedTrial } from '../training/ranked-trials.js';
import { type FrameHook, runFrameLoop } from './frame-loop.js';
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

export interface ReplayResult {
  readonly mode: DeploymentMode;
  readonly bars: number;
  readonly returnPct: number | null;
  readonly sharpe: number | null;
  readonly maxDrawdownPct: number | null;
  readonly finalEquity: number;
  readonly deployments: number;
  readonly promotions: number;
  readonly refusals: number;
  readonly series: ChartSeries[];
  readonly markers: ChartMarker[];
  readonly leaderboard: string;
  readonly deployed: string | null;
}

/**
 * Collects every arena member's equity (benchmarks included) at the close of each frame the arena applied,
 * and reports progress. After a restart the first frames were applied before it: the arena skips them (their
 * points come from before the restart, which this run cannot see); the paper series is read from its
 * committed journal instead (see runReplay).
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
        const series = points.get(member.name) ?? [];
        series.push([close, member.equity]);
        points.set(member.name, series);
      }
      if (k % 200 === 0 || k === total) onProgress?.(k, total);
    },
  };
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
  // The paper trader's equity per frame of the window, from its committed journal: right across restarts.
  const paperPoints: [number, number][] = [];
  const firstTs = history.ts[from]!;
  const lastTs = history.ts[to - 1]!;
  for (const line of readJournal(paperPaths(options.root).equity, EquityLineSchema).entries)
    if (line.ts >= firstTs && line.ts <= lastTs)
      paperPoints.push([line.ts + history.timeframeMs, line.equity]);
  const equity = [life.paper.initialEquity, ...paperPoints.map((p) => p[1])];
  const metrics = computeMetrics(equity, periodsPerYear(history.timeframeMs), {
    fills: 0,
    sells: 0,
    winningSells: 0,
    tradedNotional: 0,
    feesPaid: 0,
  });
  const decisions = readJournal(join(options.root, DEPLOYMENT_HISTORY_FILE), HistoryEntrySchema).entries;
  const markers: ChartMarker[] = decisions
    .filter((d) => d.action === 'deploy' || d.action === 'promote' || d.action === 'refuse')
    .map((d) => ({
      ts: d.cycleTs + history.timeframeMs,
      label: `${d.action} ${d.modelId ?? ''}: ${d.reason}`,
      kind: d.action as ChartMarker['kind'],
    }));
  const series: ChartSeries[] = [
    { name: `paper trader (${options.mode})`, kind: 'paper', points: paperPoints },
    ...[...collector.points].map(([name, points]) => ({
      name,
      kind: (name.startsWith('benchmark:') ? 'benchmark' : 'arena') as ChartSeries['kind'],
      points,
    })),
  ];
  return {
    mode: options.mode,
    bars: paperPoints.length,
    returnPct: metrics.returnPct,
    sharpe: metrics.sharpe,
    maxDrawdownPct: metrics.maxDrawdownPct,
    finalEquity: life.paper.equity,
    deployments: decisions.filter((d) => d.action === 'deploy').length,
    promotions: decisions.filter((d) => d.action === 'promote').length,
    refusals: decisions.filter((d) => d.action === 'refuse').length,
    series,
    markers,
    leaderboard: life.arena.leaderboardText(),
    deployed: life.deployer.current?.modelId ?? null,
  };
}
