// Options of Arena.open, and what the arena reads from the paper trader.
import type { StateStore } from '../../state/index.js';
import type { ModelRef, PaperControl, ServiceOptions } from '../contracts.js';
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

/** Arena.open's options: files live under `<root>/arena_state/`. */
export interface ArenaOptions extends ServiceOptions {
  /** The paper trader: starting equity of newcomers and the gate's reference return. */
  readonly paper: ArenaPaperView;
  readonly config?: ArenaConfigInput;
  /** Whether a member's bundle is still there; default: its modelPath exists (a file system call each). */
  readonly bundleExists?: (ref: ModelRef) => boolean;
  /**
   * Bar time between those checks (default 0: every frame). Checked on the first frame of each period
   * of bar time, so a restarted run checks on the same frames; a replay checks daily to save the calls.
   */
  readonly bundleCheckEveryMs?: number;
  /** Where arena_state/ files are written: default at once; the engine passes its StateTransaction. */
  readonly store?: StateStore;
}
