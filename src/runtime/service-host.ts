// Everything around the frame loop for `start`, `paper`, `arena run` and `deployer`: the feed (replay or
// live), the trial stream (scheduled releases in a replay, the study storage otherwise), the optional
// rolling trainer, and notifications. The CLI adds the server; this module stays free of HTTP.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServiceLogger } from '../core/logger.js';
import { timeframeToMs } from '../core/timeframe.js';
import { createReplayFeed, type FrameFeed } from '../feeds/index.js';
import type { ExchangeConfig } from '../feeds/live/exchange-config.js';
import {
  type ArenaConfigInput,
  ArenaStateSchema,
  arenaLeader,
  arenaPaths,
} from '../lifecycle/arena/index.js';
import {
  DEPLOYMENT_HISTORY_FILE,
  DEPLOYMENT_STATE_FILE,
  type DeployerConfigInput,
  type DeploymentMode,
  HistoryEntrySchema,
} from '../lifecycle/deployer/index.js';
import { createFileLogger } from '../lifecycle/logger.js';
import { paperPaths } from '../lifecycle/paper/index.js';
import type { MarketData } from '../market/market-data.js';
import type { SimConfig } from '../sim/index.js';
import { readJournal, readJsonFile } from '../state/index.js';
import type { RankedTrial } from '../training/ranked-trials.js';
import { type FrameHook, type FrameLoopRun, runFrameLoop } from './frame-loop.js';
import { type Lifecycle, openLifecycle, type SteppedService } from './lifecycle.js';
import {
  buildDailySummary,
  countDecisions,
  DISABLED_NOTIFIER,
  dataOutageNotification,
  isSummaryDue,
  type Notification,
  type Notifier,
  notifierFromConfig,
} from './notify/index.js';
import type { NotificationsConfig } from './notify/notify-config.js';
import { RollingTrainer } from './rolling-trainer.js';
import { StudyTrialFeed } from './study-trial-feed.js';
import type { TrainerConfig } from './trainer-config.js';

export type FeedSource =
  | {
      readonly kind: 'replay';
      readonly history: MarketData;
      readonly from: number;
      readonly to: number;
      /** Completed trials released at simulated times (ignored with the trainer: trials come from storage). */
      readonly trialsAt: (ts: number) => readonly RankedTrial[];
    }
  | {
      readonly kind: 'live';
      readonly apiUrl?: string;
      /** A fresh workspace's first frame (closed frames from there are backfilled); default: the next close. */
      readonly from?: number;
    };

/**
 * The sections of hybrid.config.json the host reads, each typed by the module that owns it (config/
 * composes them into the file; a WorkspaceConfig is one).
 */
export interface HostConfig {
  readonly arena: ArenaConfigInput;
  readonly deployer: Pick<DeployerConfigInput, 'scoreMargin' | 'policy' | 'protection'>;
  readonly exchange: ExchangeConfig;
  readonly notifications: NotificationsConfig;
  readonly trainer: TrainerConfig;
}

export interface HostOptions {
  readonly root: string;
  readonly config: HostConfig;
  readonly mode: DeploymentMode;
  readonly studies: readonly string[];
  readonly simConfig: Readonly<SimConfig>;
  readonly services: readonly SteppedService[];
  readonly source: FeedSource;
  /** Study storage URL (relative sqlite paths under root) for live trial streams and the trainer. */
  readonly storageUrl: string;
  /**
   * Where bundles published by workers on other hosts are fetched from (`--artifacts`: auto, none, database,
   * a shared folder); default auto (the study's database when it is PostgreSQL).
   */
  readonly artifacts?: string;
  /** Run the rolling trainer (config.trainer) beside the services. */
  readonly train: boolean;
  readonly packageVersion: string;
  /** A replay feed commits every N frames (`--commit-every`) instead of the default cadence. */
  readonly commitEvery?: number;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Code the caller runs around each frame (e.g. telling a waiting `start --detach` the loop is up). */
  readonly hooks?: readonly FrameHook[];
}

/** Runs the frame loop on the chosen feed until it ends or a stop signal; cleans up in every case. */
export async function runServices(options: HostOptions): Promise<FrameLoopRun> {
  const { root, config, source } = options;
  const live = source.kind === 'live';
  const fileLogger = (name: string, service: string) =>
    createFileLogger({ root, name, service, now: Date.now });
  let trainer: RollingTrainer | null = null;
  // A replay's trials change only when its own trainer finishes a round; live, any process may add some.
  const trialsVersion = (ts: number) => (live ? ts : (trainer?.reports.length ?? 0));
  // From the study storage (live, or beside the trainer): one connection for the run, read before a frame
  // through the frame loop's hook, on any storage (SQLite or PostgreSQL).
  const trials =
    live || options.train
      ? await StudyTrialFeed.open({
          root,
          storageUrl: options.storageUrl,
          artifacts: options.artifacts ?? 'auto',
          studies: options.studies,
          version: trialsVersion,
          logger: fileLogger('supervisor', 'trials'),
        })
      : null;
  // Live only: a replay of thousands of bars must not message anyone's channel.
  const notifier: Notifier = live
    ? notifierFromConfig(config.notifications, {
        env: options.env ?? process.env,
        logger: fileLogger('notifications', 'notify'),
      })
    : DISABLED_NOTIFIER;
  const feed: FrameFeed =
    source.kind === 'replay'
      ? createReplayFeed(source.history, source.from, source.to)
      : await openLive(options, source, notifier, fileLogger('live_feed', 'feed')).catch(
          async (error: unknown) => {
            await trials?.close();
            throw error;
          },
        );
  trainer = options.train
    ? new RollingTrainer({
        root,
        study: config.trainer.study ?? options.studies[0] ?? 'live',
        kind: config.trainer.kind,
        storageUrl: options.storageUrl,
        trialsPerRound: config.trainer.trialsPerRound,
        workers: config.trainer.workers,
        trainBars: config.trainer.trainBars,
        validationBars: config.trainer.validationBars,
        embargoBars: config.trainer.embargoBars,
        warmupBars: config.trainer.warmupBars,
        everyBars: config.trainer.everyBars,
        sim: { ...options.simConfig },
        seed: config.trainer.seed,
        ppoSteps: config.trainer.ppoSteps,
        packageVersion: options.packageVersion,
        logger: fileLogger('trainer', 'trainer'),
        workerUrl: new URL('../training/workers/worker-main.js', import.meta.url),
      })
    : null;
  const summary = config.notifications.dailySummary;
  let lastSummaryMs: number | null = null;
  const dailySummary = (nowTs: number, life: Lifecycle) => {
    if (!notifier.enabled || !summary.enabled || !isSummaryDue(lastSummaryMs, nowTs, summary.hourUtc)) return;
    lastSummaryMs = nowTs;
    notifier.notify(summaryOf(root, nowTs, life));
  };
  const hooks: FrameHook[] = trials ? [trials.hook] : [];
  if (live)
    hooks.push({ afterFrame: (frame, life) => dailySummary(frame.ts + frame.market.timeframeMs, life) });
  hooks.push(...(options.hooks ?? []));
  try {
    return await runFrameLoop({
      root,
      feed,
      services: options.services,
      commitEvery: options.commitEvery,
      trainer,
      notifier,
      logger: fileLogger('supervisor', 'supervisor'),
      hooks,
      lifecycle: (f) =>
        openLifecycle({
          root,
          market: f.market,
          simConfig: options.simConfig,
          deployer: {
            mode: options.mode,
            studies: [...options.studies],
            scoreMargin: config.deployer.scoreMargin,
            policy: config.deployer.policy,
            protection: config.deployer.protection,
          },
          arena: config.arena,
          trialsAt: trials?.trialsAt ?? (source.kind === 'replay' ? source.trialsAt : () => []),
          packageVersion: options.packageVersion,
          notify: (n) => notifier.notify(n),
        }),
    });
  } finally {
    feed.close?.();
    await trainer?.stop();
    await trials?.close();
    await notifier.flush(config.notifications.timeoutMs);
    notifier.close();
  }
}

/** The daily summary from the services and their committed files (once a day: reading files is fine). */
function summaryOf(root: string, nowTs: number, life: Lifecycle): Notification {
  const day = 24 * 3_600_000;
  const history = readJournal(join(root, DEPLOYMENT_HISTORY_FILE), HistoryEntrySchema).entries;
  const arena = readJsonFile(arenaPaths(root).state, ArenaStateSchema);
  const leader = arenaLeader(arena?.models ?? []);
  const current = life.deployer.current;
  return buildDailySummary({
    ts: nowTs,
    equity: life.paper.equity,
    equityDayAgo: life.paper.equityBefore(nowTs - day),
    deployed: current ? { modelId: current.modelId, trainingScore: current.trainingScore } : null,
    arenaLeader: leader
      ? {
          modelId: leader.modelId,
          hours: leader.hours,
          returnPct: leader.metrics.returnPct,
          excessReturnPct: leader.metrics.excessReturnPct,
        }
      : null,
    ...countDecisions(history, nowTs - day, nowTs),
  });
}

/**
 * The live feed, resuming after the earliest frame any service has applied (each service skips what it
 * has), its log lines also turned into data-outage notifications.
 */
async function openLive(
  options: HostOptions,
  source: Extract<FeedSource, { kind: 'live' }>,
  notifier: Notifier,
  logger: ServiceLogger,
): Promise<FrameFeed> {
  const { openLiveFeed } = await import('../feeds/live/index.js'); // ccxt loads only for live runs
  const exchange = options.config.exchange;
  const applied = earliestApplied(options.root, options.services);
  const fresh = source.from === undefined ? null : source.from - timeframeToMs(exchange.timeframe);
  return openLiveFeed({
    exchange,
    apiUrl: source.apiUrl,
    resumeAfterTs: applied ?? fresh,
    logger: outageNotifyingLogger(logger, notifier, exchange.id, exchange.symbols),
  });
}

/** The earliest lastBarTs of the stepped services' state files (null when any is fresh). */
export function earliestApplied(root: string, services: readonly SteppedService[]): number | null {
  const read = (path: string, field: string): number | null | undefined => {
    try {
      const value = (JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>)[field];
      return typeof value === 'number' ? value : null;
    } catch {
      return undefined; // missing or unreadable: the lifecycle's own open reports a bad file
    }
  };
  const files: Record<SteppedService, [string, string]> = {
    paper: [paperPaths(root).state, 'lastBarTs'],
    arena: [arenaPaths(root).state, 'lastBarTs'],
    deployer: [join(root, DEPLOYMENT_STATE_FILE), 'lastCycleTs'],
  };
  let earliest: number | null = Number.POSITIVE_INFINITY;
  for (const service of services) {
    const ts = read(...files[service]);
    if (ts === undefined || ts === null) return null;
    earliest = Math.min(earliest, ts);
  }
  return Number.isFinite(earliest) ? earliest : null;
}

/**
 * Passes every line to `logger`, and turns the feed's outage lines into notifications: the first failed
 * poll starts an outage, "reachable again" resolves it, a skipped frame is an outage of that bar.
 */
export function outageNotifyingLogger(
  logger: ServiceLogger,
  notifier: Notifier,
  source: string,
  symbols: readonly string[],
): ServiceLogger {
  return {
    info(message, fields = {}) {
      logger.info(message, fields);
      const since = fields.outageSinceMs;
      if (typeof since === 'number' && typeof fields.backfillFromTs === 'number')
        notifier.notify(
          dataOutageNotification({
            source,
            status: 'resolved',
            ts: Date.now(),
            durationMs: Date.now() - since,
            lastBarTs: fields.backfillFromTs,
            symbols,
            detail: message,
          }),
        );
    },
    warn(message, fields = {}) {
      logger.warn(message, fields);
      if (fields.failedPolls === 1 && typeof fields.outageSinceMs === 'number')
        notifier.notify(
          dataOutageNotification({
            source,
            status: 'started',
            ts: Date.now(),
            durationMs: Date.now() - fields.outageSinceMs,
            lastBarTs: typeof fields.pendingFromTs === 'number' ? fields.pendingFromTs : null,
            symbols,
            detail: message,
          }),
        );
      else if (Array.isArray(fields.missing) && typeof fields.barTs === 'number')
        notifier.notify(
          dataOutageNotification({
            source,
            status: 'started',
            ts: Date.now(),
            durationMs: 0,
            lastBarTs: fields.barTs,
            symbols: fields.missing as string[],
            detail: message,
          }),
        );
    },
    error: (message, fields) => logger.error(message, fields),
  };
}
