// Wires the lifecycle services of one workspace and steps them, in order, on each closed frame; the frame
// loop (frame-loop.ts) decides when their state is committed.

import { dirname, join } from 'node:path';
import {
  Arena,
  type ArenaConfigInput,
  archivePromotionCandidate,
  arenaPaths,
  readPromotionCandidate,
} from '../lifecycle/arena/index.js';
import type { FrameEvent, ModelRef } from '../lifecycle/contracts.js';
import {
  DEPLOYMENT_STATE_FILE,
  Deployer,
  type DeployerConfigInput,
  DeployerConfigSchema,
  ENSEMBLE_STUDY,
} from '../lifecycle/deployer/index.js';
import { ARENA_LOG_NAME, createFileLogger, DEPLOYER_LOG_NAME, PAPER_LOG_NAME } from '../lifecycle/logger.js';
import { PaperTrader, paperPaths } from '../lifecycle/paper/index.js';
import type { MarketData } from '../market/market-data.js';
import { sweepBundleTemps } from '../models/bundle/index.js';
import type { SimConfig } from '../sim/index.js';
import { StateTransaction, sweepTempFiles } from '../state/index.js';
import type { RankedTrial } from '../training/ranked-trials.js';
import {
  createOverlayRecorder,
  historyNotification,
  modelUnavailableNotification,
  type Notification,
  overlayNotification,
} from './notify/index.js';
import { createPolicyLoader } from './policy-loader.js';
import { ServiceFailure } from './service-failure.js';
import { assertWorkspaceSound } from './workspace-checks.js';

/** The services a lifecycle steps, in their order on every frame. */
export type SteppedService = 'paper' | 'arena' | 'deployer';
export const ALL_SERVICES: readonly SteppedService[] = ['paper', 'arena', 'deployer'];

export interface LifecycleOptions {
  readonly root: string;
  /** The market as the services see it (it grows as the feed releases frames). */
  readonly market: MarketData;
  readonly simConfig: Readonly<SimConfig>;
  readonly deployer: DeployerConfigInput;
  readonly arena?: ArenaConfigInput;
  /** Completed trials available at a frame's time, best first. */
  readonly trialsAt: (ts: number) => readonly RankedTrial[];
  /** Re-scores the deployed model on the candidate's windows when they differ (else null). */
  readonly rescore?: (deployed: ModelRef, candidate: ModelRef) => number | null;
  readonly packageVersion: string;
  /** Bar time between checks that arena members' bundles still exist (default: every frame). */
  readonly bundleCheckEveryMs?: number;
  /**
   * Receives the notifications of committed frames (deployments, promotions, refusals, overlay exits of
   * the paper trader): only after the commit, so a crash never announces what it rolled back.
   */
  readonly notify?: (notification: Notification) => void;
}

/** Which services applied a stepped frame (false: not stepped, or applied already before a restart). */
export interface AppliedFrame {
  paper: boolean;
  arena: boolean;
  deployer: boolean;
}

export interface Lifecycle {
  readonly paper: PaperTrader;
  readonly arena: Arena;
  readonly deployer: Deployer;
  /**
   * Steps `services` (in lifecycle order: paper trader, arena with the promotion gate, deployer) on the
   * frame; each applies a frame once. `paper` or `arena` run alone by their commands. Their writes go to
   * one StateTransaction that only `commit()` lands. A service that throws is named by a ServiceFailure,
   * and leaves the services ahead of their files: re-open the lifecycle (never commit or step it again).
   * Returns which services applied the frame (one object, overwritten by the next step).
   */
  step(frame: FrameEvent, services: readonly SteppedService[]): Readonly<AppliedFrame>;
  /** Makes every applied frame's state land now (the frame loop calls it; see commit-cadence.ts). */
  commit(): void;
}

/**
 * Opens (or resumes) the services of a workspace: first completes a commit a crash interrupted (see
 * StateTransaction), so all three services restore the same frame. Time in state files comes from the bars
 * being processed (the close of the latest frame), so a replay writes the same files however fast or often
 * it is restarted, and whatever its commit interval.
 */
export function openLifecycle(options: LifecycleOptions): Lifecycle {
  const { root, market, simConfig } = options;
  // every check `status` runs, before anything is written: a workspace with a problem is refused as it is
  assertWorkspaceSound(root, Date.now());
  // Only this process writes these folders: temporary files in them are leftovers of a killed run.
  const arenaFiles = arenaPaths(root);
  for (const dir of [
    paperPaths(root).dir,
    arenaFiles.dir,
    arenaFiles.promotions,
    dirname(join(root, DEPLOYMENT_STATE_FILE)),
  ])
    sweepTempFiles(dir);
  sweepBundleTemps(join(root, 'models', ENSEMBLE_STUDY), 0); // ensemble bundles: written by the deployer only
  const store = StateTransaction.open(root);
  let clock = market.length > 0 ? market.ts[market.length - 1]! + market.timeframeMs : 0;
  const now = () => clock;
  const loadPolicy = createPolicyLoader(root, market);
  // Log lines are part of the commit of the frames they describe: they land with their state, once.
  const logger = (name: string, service: string) => createFileLogger({ root, name, service, now, store });
  const shape = {
    symbols: market.symbols,
    timeframeMs: market.timeframeMs,
    simConfig,
    loadPolicy,
    now,
    store,
  };
  const overlays = createOverlayRecorder();
  const paper = PaperTrader.open({
    root,
    ...shape,
    logger: logger(PAPER_LOG_NAME, 'paper'),
    onOverlay: overlays.onOverlay,
  });
  const arena = Arena.open({
    root,
    ...shape,
    logger: logger(ARENA_LOG_NAME, 'arena'),
    paper,
    config: options.arena ?? {},
    bundleCheckEveryMs: options.bundleCheckEveryMs,
  });
  const deployer = Deployer.open({
    root,
    config: DeployerConfigSchema.parse(options.deployer),
    paper,
    arena,
    loadPolicy,
    logger: logger(DEPLOYER_LOG_NAME, 'deployer'),
    trialsAt: options.trialsAt,
    readCandidate: () => readPromotionCandidate(root, store),
    archiveCandidate: (decision) => archivePromotionCandidate(root, decision, store),
    rescore: options.rescore,
    packageVersion: options.packageVersion,
    store,
    sealModel: loadPolicy.seal,
  });
  store.commit(); // what opening repaired or re-applied
  let announce: Notification[] = [];
  const commit = () => {
    store.commit();
    const notify = options.notify;
    if (notify && announce.length > 0) for (const n of announce) notify(n);
    announce = [];
  };
  const stepService = (service: SteppedService, frame: FrameEvent): boolean => {
    try {
      if (service === 'paper') {
        const applied = paper.onFrame(frame);
        if (applied && options.notify) {
          const n = overlayNotification({
            service: 'paper',
            modelId: paper.model?.modelId ?? null,
            triggers: overlays.take(),
            equity: paper.equity,
          });
          if (n) announce.push(n);
          const problem = paper.modelProblem;
          if (problem !== null && problem.sinceBarTs !== null && paper.model !== null) {
            const alert = modelUnavailableNotification({
              modelId: paper.model.modelId,
              reason: problem.message,
              sinceBarTs: problem.sinceBarTs,
              barTs: frame.ts,
              timeframeMs: frame.market.timeframeMs,
            });
            if (alert) announce.push(alert);
          }
        }
        return applied;
      }
      if (service === 'arena') return arena.onFrame(frame);
      const applied = deployer.onFrame(frame);
      if (applied && options.notify)
        for (const e of deployer.lastDecisions) {
          const n = historyNotification(e);
          if (n) announce.push(n);
        }
      return applied;
    } catch (error) {
      throw new ServiceFailure(service, error);
    }
  };
  const applied: AppliedFrame = { paper: false, arena: false, deployer: false };
  const step = (frame: FrameEvent, services: readonly SteppedService[]) => {
    clock = frame.ts + frame.market.timeframeMs;
    applied.paper = applied.arena = applied.deployer = false;
    for (const service of services) applied[service] = stepService(service, frame);
    return applied;
  };
  return { paper, arena, deployer, step, commit };
}
