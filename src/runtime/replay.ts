// Replay: the whole lifecycle on historical bars, trials released at simulated times, as fast as possible.

import { join } from 'node:path';
import { periodsPerYear } from '../core/timeframe.js';
import { createReplayFeed } from '../feeds/index.js';
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
import { openLifecycle } from './lifecycle.js';
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
  /**
   * When the state files are committed: after `frames` frames or `ms` milliseconds of work since the last
   * commit, whichever comes first, and at the end (default REPLAY_COMMIT; `{ frames: 1 }` = every frame).
   */
  readonly commit?: { readonly frames?: number; readonly ms?: number };
  readonly onProgress?: (done: number, total: number) => void;
}

/**
 * A replay commits its state every half second of work, or every 2,000 frames (bounding what waits in
 * memory), and at the end, instead of after every frame: one commit writes every state file (~5 ms with
 * a full arena), more than ten frames cost. A kill loses at most that half second, which the
 * restart replays from the last commit. Commit points do not change the result: every commit holds all
 * services at the same frame, and frames are applied the same way after a restart.
 */
export const REPLAY_COMMIT = { frames: 2_000, ms: 500 } as const;

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

/** Runs (or resumes) one replay and summarises the paper trader's result and the decisions. */
export function runReplay(options: ReplayOptions): ReplayResult {
  const { history, from, to } = options;
  const feed = createReplayFeed(history, from, to);
  const startTs = history.ts[from]!;
  const { trialsAt } = scheduleReleases(options.trials, startTs, options.releaseEveryMs);
  const life = openLifecycle({
    root: options.root,
    market: feed.market,
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
    commitEvery: Number.POSITIVE_INFINITY, // this loop decides
    // a bundle deleted during a replay is noticed within a simulated day: a file system call less per member and bar
    bundleCheckEveryMs: 24 * 3_600_000,
  });
  const paperPoints: [number, number][] = [];
  const arenaPoints = new Map<string, [number, number][]>();
  const total = to - from;
  const commitFrames = options.commit?.frames ?? REPLAY_COMMIT.frames;
  const commitMs = options.commit?.ms ?? REPLAY_COMMIT.ms;
  let uncommitted = 0;
  let committedAt = performance.now();
  for (let frame = feed.next(), k = 1; frame !== null; frame = feed.next(), k++) {
    // After a restart the first frames were applied before it: the arena skips them (its points then come
    // from before the restart, which this run cannot see), the paper series is read from its journal below.
    const arenaApplies = life.arena.lastBarTs === null || frame.ts > life.arena.lastBarTs;
    life.onFrame(frame);
    if (++uncommitted >= commitFrames || performance.now() - committedAt >= commitMs) {
      life.commit();
      uncommitted = 0;
      committedAt = performance.now();
    }
    const close = frame.ts + history.timeframeMs;
    if (!arenaApplies) continue;
    for (const member of life.arena.equitySnapshot()) {
      const points = arenaPoints.get(member.name) ?? [];
      points.push([close, member.equity]);
      arenaPoints.set(member.name, points);
    }
    if (k % 200 === 0 || k === total) options.onProgress?.(k, total);
  }
  life.commit();
  // The paper trader's equity per frame of the window, from its committed journal: right across restarts.
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
    ...[...arenaPoints].map(([name, points]) => ({
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
