// Contracts between the lifecycle services (paper trader, arena, promotion gate, deployer) and the engine
// that drives them bar by bar. Each service owns its files (one writer per file) and applies every closed
// frame exactly once, keyed by the frame's ts (bar open time, epoch ms).

import type { ServiceLogger } from '../core/logger.js';
import type { FrameEvent } from '../feeds/index.js';
import type { Policy } from '../models/index.js';
import type { SimConfig, Simulator } from '../sim/index.js';
import type { ModelRef } from './model-ref.js';
import type { PromotionCheck } from './promotion-check.js';

/** A model the lifecycle can run: a trial's bundle (its type is its stored schema's, see model-ref.ts). */
export type { ModelRef } from './model-ref.js';

/** Loads a model's policy for the market (checks the bundle fits: symbols, order, timeframe, features). */
export type PolicyLoader = (ref: ModelRef) => Policy;

export type { ServiceLogger } from '../core/logger.js';
// The frame contract lives with the feeds, the logger in core; services name them from here too.
export type { FrameEvent, FrameFeed } from '../feeds/index.js';

/** A clock-free service stepped on frames: `lastBarTs` is what it has applied (null before the first). */
export interface FrameService {
  readonly lastBarTs: number | null;
  /** Applies the frame if its ts > lastBarTs, persists its state, and returns whether it applied it. */
  onFrame(frame: FrameEvent): boolean;
}

/** What the deployer may ask of the paper trader (implemented by PaperTrader). */
export interface PaperControl {
  /** The deployed model, or null before the first deployment. */
  readonly model: ModelRef | null;
  /** Equity after the last applied frame (initial equity before the first). */
  readonly equity: number;
  /**
   * Swaps the policy from the next frame on: cash and positions are untouched. `resetPositions` (ensemble
   * mode only, as the old system did) liquidates at the last close through the simulator first.
   */
  setModel(ref: ModelRef, policy: Policy, options?: { resetPositions?: boolean }): void;
  /**
   * Deploys a model whose policy cannot be loaded (`reason` says why): it is recorded as deployed, and
   * the trader holds its positions and reports it on every frame until a loadable model is set.
   */
  setUnavailableModel(ref: ModelRef, reason: string, options?: { resetPositions?: boolean }): void;
  /** Whether the operator paused trading: the model is not consulted, positions are held and marked. */
  readonly paused: boolean;
  /** Pauses or resumes trading from the next frame on (recorded in the paper trader's state). */
  setPaused(paused: boolean): void;
  /** The paper trader's return in percent over (windowStartTs, lastBarTs]: equity after the frame before
   * windowStartTs (or the initial equity) to equity now; null when the window is not covered. */
  returnSince(windowStartTs: number): number | null;
}

/** What the deployer may ask of the arena (implemented by Arena). */
export interface ArenaControl {
  /** Offers trials as challengers: free slots first, then the queue ordered by training score. */
  offer(refs: readonly ModelRef[]): void;
  /** The model whose shadow the arena runs (the deployed one), or null. */
  readonly champion: ModelRef | null;
  /** Makes `ref` the champion's shadow (after a deployment or promotion). */
  setChampion(ref: ModelRef): void;
  /** Removes a member (promoted, gone); frees its slot for the queue. */
  remove(modelId: string, reason: string): void;
  /** modelIds currently in the arena or its queue. */
  readonly knownModelIds: ReadonlySet<string>;
  /** The active member (evaluating or qualified) with this id, or null (manual promotion). */
  activeMember(modelId: string): ModelRef | null;
  /**
   * The promotion check of an active challenger at the arena's last frame, as the gate computed it (the
   * deployer's re-check reads it); null when the model is not an active challenger.
   */
  promotionCheck(modelId: string): PromotionCheck | null;
}

/** What every frame service is opened with: its workspace, market shape, simulator, model loader, log, clock. */
export interface ServiceOptions {
  /** Workspace root: each service writes only under its own folder of it. */
  readonly root: string;
  /** The universe, in the order of the market's symbols and of every model's weights. */
  readonly symbols: readonly string[];
  readonly timeframeMs: number;
  /** Fees, caps and overlays: the same for every service of a workspace. */
  readonly simConfig: Readonly<SimConfig>;
  readonly loadPolicy: PolicyLoader;
  readonly logger: ServiceLogger;
  /** Injected clock (epoch ms) for `updatedAt` and similar fields; a replay clock makes files reproducible. */
  readonly now: () => number;
  /** A Simulator to share (same config, symbols, timeframe); default a new one. */
  readonly simulator?: Simulator;
}
