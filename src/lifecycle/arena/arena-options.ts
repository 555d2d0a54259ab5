// Options of Arena.open, and what the arena reads from the paper trader.
import type { SimConfig, Simulator } from '../../sim/index.js';
import type { ModelRef, PaperControl, PolicyLoader, ServiceLogger } from '../contracts.js';
import type { ArenaConfigInput } from './arena-config.js';

/**
 * The paper trader as the arena sees it; PaperTrader provides the optional members too. With `lastBarTs`
 * the gate uses the paper trader's return only when it has applied the same frame as the arena (the
 * engine steps the paper trader first). With `equityBefore`, the benchmarks start with the paper
 * trader's equity before the arena's first frame even when the arena (re)starts after the paper trader
 * applied it (a crash between the two). With `historyHours`, the arena warns at open when it is shorter
 * than 2 x maxEvalHours (returnSince could not cover a long window).
 */
export type ArenaPaperView = PaperControl & {
  readonly lastBarTs?: number | null;
  readonly historyHours?: number;
  equityBefore?(ts: number): number | null;
};

export interface ArenaOptions {
  /** Workspace root: files live under `<root>/arena_state/`. */
  readonly root: string;
  readonly symbols: readonly string[];
  readonly timeframeMs: number;
  /** The paper trader's simulator configuration: members step under the same fees, caps and overlays. */
  readonly simConfig: Readonly<SimConfig>;
  readonly loadPolicy: PolicyLoader;
  readonly logger: ServiceLogger;
  /** Injected clock (epoch ms) for `updatedAt` and the candidate's `createdAt`. */
  readonly now: () => number;
  /** The paper trader: starting equity of newcomers and the gate's reference return. */
  readonly paper: ArenaPaperView;
  readonly config?: ArenaConfigInput;
  /** A Simulator to share (same config, symbols, timeframe); default a new one. */
  readonly simulator?: Simulator;
  /** Whether a member's bundle is still there (checked every frame); default: its modelPath exists. */
  readonly bundleExists?: (ref: ModelRef) => boolean;
}
